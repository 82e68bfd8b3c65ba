@ren
Feature: Renaming a channel
  An admin may rename the current channel. A rename changes the name only: the members, the owner,
  the admins, the join order and the history stay, and the old name becomes free.
  (PROTOCOL.md §5.11, §4.7, §8.11, §8.17)

  @v0 @course
  Rule: An admin renames the current channel and the other members see the new name

    Background:
      Given alice has created #room
      And bob and carol have joined #room

    @core
    Scenario: The owner renames the channel
      When alice renames the channel to #lounge
      Then alice is told the channel was renamed from #room to #lounge
      And bob sees #room renamed to #lounge
      And carol sees #room renamed to #lounge
      And alice receives nothing

    @core
    Scenario: Members stay in the renamed channel, which stays their current channel
      Given alice has renamed the channel to #lounge
      Then bob is in #lounge
      And bob still receives alice's next message in #lounge
      And carol sees the members of #lounge as "~alice bob carol"

    Scenario: The list shows the new name, not the old one
      Given alice has renamed the channel to #lounge
      Then the channel list seen by dave includes #lounge
      And the channel list seen by dave does not include #room

    Scenario: The old name is free for a new channel
      Given alice has renamed the channel to #lounge
      When dave joins #room
      Then dave is told he created #room and owns it

  @v0
  Rule: Only an admin can rename

    @course
    Scenario: A member who is not admin cannot rename
      Given alice has created #room
      And bob has joined #room
      When bob tries to rename the channel to #lounge
      Then bob is refused with NOT_ADMIN
      And alice receives nothing
      And alice is in #room

    @spec
    Scenario: Not being admin is reported before a bad name
      Given alice has created #room
      And bob has joined #room
      When bob tries to rename the channel to the name "bad!name"
      Then bob is refused with NOT_ADMIN

    # PROTOCOL.md §6.1 (error precedence), added with it.
    @spec
    Scenario: Not being admin is reported before a name already taken
      Given alice has created #room
      And bob has joined #room
      And dave has created #other
      When bob tries to rename the channel to #other
      Then bob is refused with NOT_ADMIN
      And alice receives nothing

  @v1 @course
  Rule: A granted admin can rename too, and a rename keeps the admins

    Scenario: A granted admin renames the channel
      Given alice has created #room
      And bob and carol have joined #room
      And alice has granted admin to bob
      When bob renames the channel to #lounge
      Then alice sees #room renamed to #lounge
      And carol sees the members of #lounge as "~alice @bob carol"

  @v0
  Rule: The new name must be valid and not already a channel, including the channel's own name

    @course
    Scenario: Renaming to an existing channel is refused
      Given alice has created #room
      And bob has joined #room
      And dave has created #other
      When alice tries to rename the channel to #other
      Then alice is refused with CHANNEL_EXISTS
      And bob receives nothing
      And bob is in #room
      And dave sees the members of #other as "~dave"

    @spec
    Scenario: Renaming to the channel's own name is refused
      Given alice has created #room
      And bob has joined #room
      When alice tries to rename the channel to #room
      Then alice is refused with CHANNEL_EXISTS
      And bob receives nothing

    @spec @names
    Scenario Outline: Renaming to a malformed name (<why>) is refused
      Given alice has created #room
      And bob has joined #room
      When alice tries to rename the channel to the name "<name>"
      Then alice is refused with CHANNEL_INVALID
      And bob receives nothing
      And bob is in #room

      Examples:
        | name                              | why           |
        | #lo!unge                          | contains !    |
        | #loungé                           | not ASCII     |
        | #abcdefghijklmnopqrstuvwxyz012345 | 33 characters |

    @course
    Scenario: Renaming from the lobby is refused
      Given alice has registered
      When alice tries to rename the channel to #lounge
      Then alice is refused with NO_CHANNEL
      And the channel list seen by alice does not include #lounge

    # PROTOCOL.md §6.1 (error precedence), added with it.
    @spec
    Scenario: A malformed name from the lobby is refused as no channel
      Given alice has registered
      When alice tries to rename the channel to the name "bad!name"
      Then alice is refused with NO_CHANNEL
