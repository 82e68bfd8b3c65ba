@leave
Feature: Leaving a channel
  /LEAVE takes a user out of their current channel and back to the lobby. A channel always has
  exactly one owner while it has members, so a departing owner hands the channel on.
  (PROTOCOL.md §5.5, §4.3, §4.5)

  @v0
  Rule: Leaving takes you out of the current channel, into the lobby, and the members see it

    @course @core
    Scenario: The members see a user leave, and the user is in the lobby
      Given alice has created #room
      And bob and carol have joined #room
      When bob leaves #room
      Then bob is told he left #room
      And alice sees bob leave #room
      And carol sees bob leave #room
      And bob is in the lobby

    @course @core
    Scenario: A user who left no longer receives the channel's messages
      Given alice has created #room
      And bob has joined #room
      And bob has left #room
      Then bob does not receive alice's next message

    @spec
    Scenario: The leaver gets no event of their own leave
      Given alice has created #room
      And bob has joined #room
      When bob leaves #room
      Then bob receives nothing

    @course
    Scenario: Leaving from the lobby is refused
      Given alice has registered
      When alice tries to leave
      Then alice is refused with NO_CHANNEL

  @v1 @course
  Rule: After leaving, a user is in the lobby even when still a member of other channels

    Scenario: Leaving the current channel does not select another one
      Given bob has created #first
      And alice has joined #first
      And alice has joined #second
      When alice leaves #second
      Then alice is in the lobby
      And alice still receives bob's next message in #first

  @v0 @course
  Rule: When the owner leaves, the earliest-joined remaining member becomes owner

    Scenario: Ownership passes to the next member in join order
      Given alice has created #room
      And bob and carol have joined #room
      When alice leaves #room
      Then bob sees alice leave #room, then learns he now owns it
      And carol sees alice leave #room, then sees bob become its owner
      And carol sees the members of #room as "~bob carol"

    Scenario: When a plain member leaves, the owner does not change
      Given alice has created #room
      And bob and carol have joined #room
      When bob leaves #room
      Then carol sees bob leave #room
      And alice sees bob leave #room
      And alice and carol receive nothing

  @v0 @spec
  Rule: A channel whose last member leaves ceases to exist

    Scenario: The last member leaving removes the channel, and its name creates a new one
      Given alice has created #room
      And bob has joined #room
      And bob has left #room
      And alice has left #room
      When bob joins #room
      Then bob is told he created #room and owns it
