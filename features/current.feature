@v1 @current
Feature: The current channel
  A member of several channels chooses which one their messages go to. /CURRENT tells which one
  it is, or selects another of the user's channels; it is private and sends no event.
  (PROTOCOL.md §5.12, §4.1, §4.2)

  @course
  Rule: Without argument, the current channel is reported

    @core
    Scenario: The current channel is the last one joined
      Given alice has created #first
      And alice has created #second
      When alice asks for her current channel
      Then alice is told her current channel is #second

    Scenario: In the lobby there is no current channel
      Given alice has registered
      When alice asks for her current channel
      Then alice is refused with NO_CHANNEL

    Scenario: After leaving, there is no current channel even with other memberships
      Given alice has created #first
      And alice has created #second
      And alice has left #second
      When alice asks for her current channel
      Then alice is refused with NO_CHANNEL

  @course
  Rule: With a channel the user is a member of, that channel becomes current, silently

    @core
    Scenario: Switching channel redirects the user's messages
      Given bob has created #first
      And carol has created #second
      And alice has joined #first
      And alice has joined #second
      When alice switches to #first
      Then alice is told her current channel is #first
      And bob still receives alice's next message in #first
      And carol does not receive alice's next message

    Scenario: Switching channel sends nothing to anyone
      Given bob has created #first
      And carol has created #second
      And alice has joined #first
      And alice has joined #second
      And bob sees alice join #first
      And carol sees alice join #second
      When alice switches to #first
      Then bob and carol receive nothing

  Rule: Only a channel the user is a member of can become current

    @course
    Scenario: Switching to a channel one is not a member of is refused
      Given alice has created #mine
      And bob has created #theirs
      When alice tries to switch to #theirs
      Then alice is refused with NOT_MEMBER
      And alice is in #mine
      And bob receives nothing

    @course
    Scenario: Switching to a channel that does not exist is refused
      Given alice has created #mine
      When alice tries to switch to #nowhere
      Then alice is refused with NOT_MEMBER
      And alice is in #mine

    @spec @names
    Scenario: Switching to a malformed name is refused as invalid
      Given alice has created #mine
      When alice tries to switch to the channel named "#bad!name"
      Then alice is refused with CHANNEL_INVALID
      And alice is in #mine
