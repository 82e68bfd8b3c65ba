@who
Feature: Who is in the channel
  /WHO shows the members of the current channel in the order they joined, with their role, so
  everyone can see who owns the channel and who may kick. (PROTOCOL.md §5.8)

  @v0 @course
  Rule: The members are listed in join order, the owner marked ~, the caller included

    @core
    Scenario: Members are listed in join order with the owner marked
      Given alice has created #room
      And bob and carol have joined #room
      Then carol sees the members of #room as "~alice bob carol"
      And alice sees the members of #room as "~alice bob carol"

    @core
    Scenario: Only the members of the current channel are listed
      Given alice has created #room
      And bob has joined #room
      And dave has created #other
      Then dave sees the members of #other as "~dave"

    Scenario: A member who left is no longer listed
      Given alice has created #room
      And bob and carol have joined #room
      And bob has left #room
      Then alice sees the members of #room as "~alice carol"

  @v1 @spec
  Rule: Granted admins are marked @

    Scenario: A granted admin is marked @
      Given alice has created #room
      And bob and carol have joined #room
      And alice has granted admin to bob
      Then carol sees the members of #room as "~alice @bob carol"

  @v0 @course
  Rule: Listing members needs a current channel and is private to the one who asks

    Scenario: Listing the members from the lobby is refused
      Given alice has registered
      When alice tries to list the members
      Then alice is refused with NO_CHANNEL

    Scenario: Listing the members sends nothing to anyone else
      Given alice has created #room
      And bob has joined #room
      When alice tries to list the members
      Then alice succeeds
      And bob receives nothing
