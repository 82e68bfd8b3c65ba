@extension @history
Feature: Channel history
  Someone who joins late can catch up: a channel remembers its last 100 messages. History belongs
  to the channel: it survives a rename and dies with the channel. (PROTOCOL.md §5.17, §4.5, §4.7)

  Background:
    Given alice has created #room
    And bob has joined #room

  Rule: History gives the channel's last messages, oldest first

    @course @core
    Scenario: The history lists the messages in the order they were said
      Given alice has said "one"
      And bob has said "two"
      And alice has said "three"
      When bob asks for the history
      Then bob gets the history of #room:
        | alice | one   |
        | bob   | two   |
        | alice | three |

    @course @core
    Scenario: Asking for n messages gives the last n
      Given alice has said "one"
      And bob has said "two"
      And alice has said "three"
      When alice asks for the last 2 messages of history
      Then alice gets the history of #room:
        | bob   | two   |
        | alice | three |

    @spec
    Scenario: Without a count, the last 20 messages are given
      Given alice has said 25 numbered messages
      When bob asks for the history
      Then bob gets alice's numbered messages 6 to 25

    @course
    Scenario: A newcomer gets the messages said before they joined
      Given alice has said "before you came"
      When carol joins #room
      And carol asks for the history
      Then carol gets the history of #room:
        | alice | before you came |

    @course
    Scenario: A new channel has an empty history
      When dave joins #fresh
      And dave asks for the history
      Then dave gets an empty history of #fresh

  @spec
  Rule: A channel remembers its last 100 messages

    Scenario: Older messages are forgotten beyond 100
      Given alice has said 105 numbered messages
      When bob asks for the last 100 messages of history
      Then bob gets alice's numbered messages 6 to 105

    # Found by mutation testing (docs/VALIDITY.md §2): a history ring one slot too large gives the
    # right answer up to about 200 messages; only a longer channel shows stale messages.
    Scenario: After 250 messages the last 100 are still exactly the newest
      Given alice has said 250 numbered messages
      When bob asks for the last 100 messages of history
      Then bob gets alice's numbered messages 151 to 250

  @course
  Rule: Private messages are not history

    Scenario: A private message does not appear in the history
      Given alice has said "public"
      And alice sends bob the private message "private"
      When bob asks for the history
      Then bob gets the history of #room:
        | alice | public |

  @course
  Rule: History follows a rename and dies with its channel

    Scenario: A renamed channel keeps its history
      Given alice has said "before the rename"
      And alice has renamed the channel to #lounge
      When bob asks for the history
      Then bob gets the history of #lounge:
        | alice | before the rename |

    Scenario: A channel that emptied starts again with no history
      Given alice has said "gone soon"
      And bob has left #room
      And alice has left #room
      When alice joins #room
      And alice asks for the history
      Then alice gets an empty history of #room

  Rule: The count is 1 to 100, and history needs a current channel

    @spec
    Scenario Outline: A count of <count> is a syntax error
      When alice asks for the history with the count "<count>"
      Then alice is refused with SYNTAX

      Examples:
        | count |
        | 0     |
        | 101   |
        | many  |

    # Found by mutation testing (docs/VALIDITY.md §2): a server that parsed a count with letters
    # before or after its digits passed every other scenario.
    @spec
    Scenario Outline: A count with letters around its digits (<count>) is a syntax error
      When alice asks for the history with the count "<count>"
      Then alice is refused with SYNTAX

      Examples:
        | count |
        | x5    |
        | 5x    |

    # Found by mutation testing (docs/VALIDITY.md §2): a server that refused /HISTORY 1 passed every
    # other scenario.
    @course
    Scenario: A count of 1 gives the last message only
      Given alice has said "one"
      And bob has said "two"
      When alice asks for the last 1 message of history
      Then alice gets the history of #room:
        | bob | two |

    # PROTOCOL.md §6.1 (error precedence), added with it.
    @spec
    Scenario: A malformed count from the lobby is a syntax error, not "no channel"
      Given carol has registered
      When carol asks for the history with the count "0"
      Then carol is refused with SYNTAX

    @course
    Scenario: History from the lobby is refused
      Given carol has registered
      When carol asks for the history
      Then carol is refused with NO_CHANNEL
