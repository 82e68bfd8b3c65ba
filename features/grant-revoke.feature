@v1 @grant @revoke
Feature: Granting and revoking admin rights
  The owner shares moderation by making members admins, and takes it back. Only the owner does
  this, admin rights belong to one channel, and they end when their holder leaves it.
  (PROTOCOL.md §5.15, §4.3, §4.4, §8.7, §8.8)

  Background:
    Given alice has created #room
    And bob, carol and dave have joined #room

  @course @core
  Rule: The owner makes a member admin, and the other members see it

    Scenario: The owner grants admin rights
      When alice grants admin to bob
      Then alice is told bob is now admin of #room
      And bob sees bob made admin of #room by alice
      And carol sees bob made admin of #room by alice
      And alice receives nothing
      And dave sees the members of #room as "~alice @bob carol dave"

    Scenario: A granted admin can kick a plain member
      Given alice has granted admin to bob
      When bob kicks carol
      Then carol learns she was kicked from #room by bob

  Rule: Only the owner grants and revokes, not even a granted admin

    @course
    Scenario: A granted admin cannot grant
      Given alice has granted admin to bob
      When bob tries to grant admin to carol
      Then bob is refused with NOT_ADMIN
      And dave sees the members of #room as "~alice @bob carol dave"

    @course
    Scenario: A plain member cannot grant
      When carol tries to grant admin to dave
      Then carol is refused with NOT_ADMIN
      And dave receives nothing
      And bob sees the members of #room as "~alice bob carol dave"

    @course
    Scenario: A granted admin cannot revoke
      Given alice has granted admin to bob
      And alice has granted admin to carol
      When bob tries to revoke admin from carol
      Then bob is refused with NOT_ADMIN
      And dave sees the members of #room as "~alice @bob @carol dave"

    @spec
    Scenario: Not being owner is reported before an unknown target
      When carol tries to grant admin to mallory
      Then carol is refused with NOT_ADMIN

  @spec
  Rule: Granting an admin, or revoking someone who is not a granted admin, is not allowed

    Scenario: Granting an admin again is not allowed
      Given alice has granted admin to bob
      When alice tries to grant admin to bob
      Then alice is refused with NOT_ALLOWED
      And bob and carol receive nothing

    Scenario: Granting the owner is not allowed
      When alice tries to grant admin to alice
      Then alice is refused with NOT_ALLOWED
      And bob receives nothing

    Scenario: Revoking a plain member is not allowed
      When alice tries to revoke admin from carol
      Then alice is refused with NOT_ALLOWED
      And carol receives nothing

    Scenario: Revoking the owner is not allowed
      When alice tries to revoke admin from alice
      Then alice is refused with NOT_ALLOWED
      And dave sees the members of #room as "~alice bob carol dave"

  @course
  Rule: The target must be a member of the current channel

    Scenario: Granting a user of another channel is refused
      Given erin has created #other
      When alice tries to grant admin to erin
      Then alice is refused with NO_SUCH_NICK
      And erin receives nothing

    Scenario: Granting from the lobby is refused
      Given erin has registered
      When erin tries to grant admin to bob
      Then erin is refused with NO_CHANNEL

  @course @core
  Rule: The owner takes admin rights back, and the other members see it

    Scenario: The owner revokes admin rights
      Given alice has granted admin to bob
      When alice revokes admin from bob
      Then bob sees bob lose admin of #room by alice
      And carol sees bob lose admin of #room by alice
      And dave sees the members of #room as "~alice bob carol dave"

    Scenario: A revoked admin can no longer kick
      Given alice has granted admin to bob
      And alice revokes admin from bob
      When bob tries to kick carol
      Then bob is refused with NOT_ADMIN
      And carol still receives alice's next message in #room

  @course
  Rule: Admin rights end when their holder leaves the channel

    Scenario: An admin who leaves and comes back is a plain member
      Given alice has granted admin to bob
      And bob has left #room
      When bob joins #room
      Then bob is told he joined #room as a member
      And dave sees the members of #room as "~alice carol dave bob"
      When bob tries to kick carol
      Then bob is refused with NOT_ADMIN

  @course
  Rule: Ownership passes to the earliest-joined member, not to a later granted admin

    Scenario: A departing owner is replaced by the earliest member, not by the admin
      Given alice has granted admin to dave
      When alice leaves #room
      Then bob learns he now owns #room
      And dave sees bob become the owner of #room
      And carol sees the members of #room as "~bob carol @dave"
