@kick
Feature: Kicking
  Admins keep a channel civil by kicking members out. The rules form a hierarchy: the owner may
  kick anyone else, a granted admin only plain members, and nobody the owner or themselves.
  (PROTOCOL.md §5.10, §4.4, §4.6, §8.9, §8.10)

  @v0 @course
  Rule: An admin kicks a member out of the channel, and everyone sees it, the kicked member included

    Background:
      Given alice has created #room
      And bob and carol have joined #room

    @core
    Scenario: The owner kicks a member
      When alice kicks carol
      Then alice is told carol was kicked from #room
      And carol learns she was kicked from #room by alice
      And bob sees carol kicked from #room by alice
      And alice receives nothing

    @core
    Scenario: The kicked member is in the lobby and no longer receives the channel's messages
      Given alice has kicked carol
      Then carol is in the lobby
      And carol does not receive alice's next message
      And bob sees the members of #room as "~alice bob"

    Scenario: A kicked member may join again, as a plain member
      Given alice has kicked carol
      When carol joins #room
      Then carol is told she joined #room as a member
      And alice sees carol join #room

  @v0 @course
  Rule: Only an admin can kick

    Background:
      Given alice has created #room
      And bob and carol have joined #room

    Scenario: A member who is not admin cannot kick
      When bob tries to kick carol
      Then bob is refused with NOT_ADMIN
      And carol still receives alice's next message in #room
      And alice receives nothing

  @v0 @course
  Rule: Nobody can kick the owner or themselves

    Background:
      Given alice has created #room
      And bob has joined #room

    Scenario: The owner cannot kick themselves
      When alice tries to kick alice
      Then alice is refused with NOT_ALLOWED
      And alice is in #room
      And bob receives nothing

  @v1 @course
  Rule: The owner kicks anyone else; a granted admin kicks only plain members

    Background:
      Given alice has created #room
      And bob, erin, carol, dave and frank have joined #room
      And alice has granted admin to bob
      And alice has granted admin to erin

    Scenario Outline: The <kicker role> kicks a <target role>
      When <kicker> kicks <target>
      Then <target> learns they were kicked from #room by <kicker>
      And frank sees <target> kicked from #room by <kicker>
      And <target> is in the lobby

      Examples:
        | kicker | kicker role | target | target role   |
        | alice  | owner       | carol  | plain member  |
        | alice  | owner       | bob    | granted admin |
        | bob    | granted admin | carol | plain member |

    Scenario Outline: The <kicker role> cannot kick <target role>
      When <kicker> tries to kick <target>
      Then <kicker> is refused with <code>
      And frank receives nothing
      And <target> still receives frank's next message in #room

      Examples:
        | kicker | kicker role   | target | target role          | code        |
        | bob    | granted admin | erin   | another admin        | NOT_ALLOWED |
        | bob    | granted admin | alice  | the owner            | NOT_ALLOWED |
        | bob    | granted admin | bob    | themselves           | NOT_ALLOWED |
        | carol  | plain member  | dave   | a plain member       | NOT_ADMIN   |
        | carol  | plain member  | bob    | a granted admin      | NOT_ADMIN   |
        | carol  | plain member  | alice  | the owner            | NOT_ADMIN   |
        | carol  | plain member  | carol  | themselves           | NOT_ADMIN   |

  @v0
  Rule: Kick errors come in a fixed order: no channel, not admin, no such nick, not allowed

    @spec
    Scenario: Kicking from the lobby is refused before anything else
      Given alice has created #room
      And bob has joined #room
      And dave has registered
      When dave tries to kick bob
      Then dave is refused with NO_CHANNEL
      And bob receives nothing

    @spec
    Scenario: A member kicking a stranger is refused as not admin
      Given alice has created #room
      And bob has joined #room
      When bob tries to kick mallory
      Then bob is refused with NOT_ADMIN

    @spec
    Scenario: A member kicking the owner is refused as not admin
      Given alice has created #room
      And bob has joined #room
      When bob tries to kick alice
      Then bob is refused with NOT_ADMIN
      And alice is in #room

    @course
    Scenario: An admin kicking a user of another channel is refused, no such nick
      Given alice has created #room
      And dave has created #other
      When alice tries to kick dave
      Then alice is refused with NO_SUCH_NICK
      And dave receives nothing
      And dave is in #other

    @course
    Scenario: An admin kicking a user who is not connected is refused, no such nick
      Given alice has created #room
      When alice tries to kick mallory
      Then alice is refused with NO_SUCH_NICK

  @v1 @spec
  Rule: A member kicked from a channel that is not their current one keeps their current channel

    Scenario: Kicked from a background channel, the current channel stays
      Given alice has created #room
      And carol has joined #room
      And carol has joined #other
      When alice kicks carol
      Then carol learns she was kicked from #room by alice
      And carol is in #other
