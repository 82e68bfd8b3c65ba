@bye
Feature: Leaving the server
  /BYE ends a session cleanly; a dropped connection ends it too. Either way the people who shared
  a channel with the user learn it once, and the user's channels keep an owner.
  (PROTOCOL.md §5.9, §1.7, §8.15, §8.18)

  @v0 @course @core
  Rule: Goodbye is acknowledged, then the server closes the connection

    Scenario: The server closes the connection after goodbye
      Given alice has registered
      When alice quits
      Then alice is disconnected by the server

  @v0 @course @core
  Rule: Everyone who shared a channel with the user sees them quit, nobody else

    Scenario: Members of the user's channel see the user quit
      Given alice has created #room
      And bob has joined #room
      And dave has created #other
      When alice quits
      Then bob sees alice quit
      And dave receives nothing

  @v1 @spec
  Rule: A user who shared several channels is seen quitting only once

    Scenario: Sharing two channels, the quit arrives once
      Given alice has created #first
      And alice has created #second
      And bob has joined #first
      And bob has joined #second
      When alice quits
      Then bob sees alice quit only once

  @v0 @course
  Rule: When the owner quits, the earliest-joined remaining member becomes owner

    Scenario: Ownership passes on after the owner quits
      Given alice has created #room
      And bob and carol have joined #room
      When alice quits
      Then bob sees alice quit, then learns he now owns #room
      And carol sees alice quit, then sees bob become the owner of #room
      And carol sees the members of #room as "~bob carol"

  @v1 @course
  Rule: A quitting owner of several channels hands each one on

    Scenario: Each channel the user owned gets a new owner
      Given alice has created #first
      And alice has created #second
      And bob has joined #first
      And carol has joined #second
      When alice quits
      Then bob sees alice quit, then learns he now owns #first
      And carol sees alice quit, then learns she now owns #second

  # @disconnect: a server that dies when a test's connections close after its steps passed is charged
  # once, to these rules (harness/target/crash-notes.ts), never to the scenario whose teardown it was.
  @disconnect
  Rule: A dropped connection counts as a goodbye for everybody else

    @v0 @course
    Scenario: Members see a dropped user quit, and ownership passes on
      Given alice has created #room
      And bob has joined #room
      When alice's connection drops
      Then bob sees alice quit, then learns he now owns #room

    @v1 @spec
    Scenario: A channel emptied by a drop disappears
      Given alice has created #room
      And carol has created #other
      And alice has joined #other
      When alice's connection drops
      Then carol sees alice quit
      And the channel list seen by carol does not include #room
