@msg
Feature: Private messages
  /MSG talks privately to people in your current channel. It is all or nothing: if one target is
  wrong, nobody gets the message, so a typo never half-delivers a secret. (PROTOCOL.md §5.7,
  §8.12, §8.13)

  @v0
  Rule: A private message reaches its target in the sender's current channel, and only them

    @course @core
    Scenario: The target receives the private message and the others nothing
      Given alice has created #room
      And bob and carol have joined #room
      When alice sends bob the private message "psst, bob"
      Then alice is told the private message went to bob
      And bob receives the private message "psst, bob" from alice
      And alice and carol receive nothing

    @course
    Scenario: The text keeps its inner spaces
      Given alice has created #room
      And bob has joined #room
      When alice sends bob the private message "two  spaces   three"
      Then bob receives the private message "two  spaces   three" from alice

    @spec
    Scenario: Sending a private message to yourself works like any target
      Given alice has created #room
      When alice sends alice the private message "note to self"
      Then alice receives the private message "note to self" from alice

  @v0 @course
  Rule: The target must be a member of the sender's current channel, not merely connected

    Scenario: A target in another channel is refused and receives nothing
      Given alice has created #room
      And dave has created #other
      When alice tries to send dave the private message "are you there?"
      Then alice is refused with NO_SUCH_NICK
      And dave receives nothing

    Scenario: A target who is not connected is refused
      Given alice has created #room
      When alice tries to send mallory the private message "hello?"
      Then alice is refused with NO_SUCH_NICK

    Scenario: A private message from the lobby is refused
      Given bob has created #room
      And alice has registered
      When alice tries to send bob the private message "hi"
      Then alice is refused with NO_CHANNEL
      And bob receives nothing

  @v1
  Rule: A private message may have several targets, each gets one copy

    @course @core
    Scenario: Every target receives the message, the other members nothing
      Given alice has created #room
      And bob, carol and dave have joined #room
      When alice sends bob and carol the private message "meeting at noon"
      Then alice is told the private message went to bob and carol
      And bob receives the private message "meeting at noon" from alice
      And carol receives the private message "meeting at noon" from alice
      And dave receives nothing

    @spec
    Scenario: A target listed twice receives one copy
      Given alice has created #room
      And bob has joined #room
      When alice sends bob and bob the private message "only once"
      Then alice is told the private message went to bob
      And bob receives the private message "only once" from alice only once

  @v1 @spec
  Rule: A private message is all or nothing across its targets

    Scenario: One wrong target means nobody receives anything
      Given alice has created #room
      And bob has joined #room
      And dave has created #other
      When alice tries to send bob and dave the private message "secret"
      Then alice is refused with NO_SUCH_NICK
      And bob receives nothing
      And dave receives nothing

  @v1 @wire @spec
  Rule: An empty target in the list is a syntax error

    Scenario Outline: The target list "<targets>" is refused
      Given alice has created #room
      And bob and carol have joined #room
      When alice sends the line "/MSG <targets> hello"
      Then alice is refused with SYNTAX
      And bob and carol receive nothing

      Examples:
        | targets          |
        | {bob};;{carol}   |
        | {bob};           |
        | ;{bob}           |

    # PROTOCOL.md §6.1 (error precedence), added with it.
    Scenario: An empty target from the lobby is a syntax error, not "no channel"
      Given alice has registered
      When alice sends the line "/MSG {bob};;{carol} hello"
      Then alice is refused with SYNTAX
