@join
Feature: Joining channels
  Channels are where conversations happen. Joining one that does not exist creates it and makes
  the creator its owner; joining an existing one announces the newcomer to its members.
  (PROTOCOL.md §4.1-§4.3, §5.4, §3.2)

  @v0 @course
  Rule: Joining a channel that does not exist creates it, and the creator is its owner

    @core
    Scenario: The creator of a channel owns it
      Given alice has registered
      When alice joins #room
      Then alice is told she created #room and owns it
      And alice sees the members of #room as "~alice"

    Scenario: A new channel is listed
      Given alice has created #room
      Then the channel list seen by bob includes #room

  @v0
  Rule: Joining an existing channel makes you a member, and the other members see you arrive

    @course @core
    Scenario: A newcomer joins as a member and the members see it
      Given alice has created #room
      And carol has joined #room
      When bob joins #room
      Then bob is told he joined #room as a member
      And alice sees bob join #room
      And carol sees bob join #room

    @spec
    Scenario: The newcomer does not get the event of their own join
      Given alice has created #room
      When bob joins #room
      Then bob receives nothing

    @course
    Scenario: Users outside the channel do not see the join
      Given alice has created #room
      And dave has created #other
      When bob joins #room
      Then dave receives nothing

  @v0 @course @core
  Rule: The joined channel becomes the current channel

    Scenario: After joining, the user's messages go to the joined channel
      Given alice has created #room
      When bob joins #room
      Then bob is in #room
      And alice still receives bob's next message in #room

  @v1 @course @core
  Rule: A user may be a member of several channels; the last joined is current

    Scenario: Joining a second channel makes it current, and keeps the first
      Given alice has created #first
      And bob has created #second
      When alice joins #second
      Then alice is in #second
      And bob still receives alice's next message in #second
      And alice still receives bob's next message in #second

  @v0 @spec @names
  Rule: A channel name is 1 to 32 letters, digits, #, _, - or .

    Scenario Outline: A malformed channel name (<why>) is refused
      Given alice has registered
      When alice tries to join the channel named "<name>"
      Then alice is refused with CHANNEL_INVALID
      And alice is in the lobby

      Examples:
        | name     | why              |
        | #room!   | contains !       |
        | #ro,om   | contains a comma |
        | #ro/om   | contains a slash |
        | #ro:om   | contains a colon |
        | #rooé    | not ASCII        |

    Scenario: A channel name of 33 characters is refused
      Given alice has registered
      When alice tries to join a channel with a name of 33 characters
      Then alice is refused with CHANNEL_INVALID
      And alice is in the lobby

    Scenario: A channel name of 32 characters is accepted
      Given alice has registered
      When alice joins a channel with a name of 32 characters
      Then alice is told she created a new channel

    Scenario: A channel name does not need a leading #
      Given alice has registered
      When alice joins #room without its #
      Then alice is told she created a new channel

  @v0 @spec
  Rule: Channel names are case-sensitive and compared exactly

    Scenario: A name differing only in case is another channel
      Given alice has created #room
      When bob joins #room spelled in upper case
      Then bob is told he created a new channel
      And alice receives nothing

    Scenario: A name without its # is another channel
      Given alice has created #room
      When bob joins #room without its #
      Then bob is told he created a new channel
      And alice receives nothing

  @course
  Rule: Joining a channel you are already in is refused and changes nothing

    @v0
    Scenario: Re-joining your channel is refused and nobody sees a join
      Given alice has created #room
      And bob has joined #room
      When alice tries to join #room
      Then alice is refused with ALREADY_MEMBER
      And bob receives nothing
      And alice is in #room
      And bob still receives alice's next message in #room

    @v1
    Scenario: Re-joining another of your channels does not change the current channel
      Given alice has created #first
      And alice has joined #second
      When alice tries to join #first
      Then alice is refused with ALREADY_MEMBER
      And alice is in #second
