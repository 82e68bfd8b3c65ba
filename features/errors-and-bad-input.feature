@errors
Feature: Errors and bad input
  A server faces typos, unknown commands, odd spacing and missing or extra arguments. It must
  answer every line exactly once, refuse what is malformed with the right code, and keep serving
  the connection. (Framing, over-long and badly encoded lines: framing.feature.)
  (PROTOCOL.md §2.1, §5, §6, §8.1, §8.2)

  @v0
  Rule: An unknown command is refused and changes nothing

    @course
    Scenario: An unknown command word is refused
      Given alice has created #room
      And bob has joined #room
      When alice tries the unknown command "FROBNICATE"
      Then alice is refused with UNKNOWN_COMMAND
      And bob receives nothing
      And alice is still connected

    @wire @spec
    Scenario: A lone slash is an unknown command
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "/"
      Then alice is refused with UNKNOWN_COMMAND
      And bob receives nothing

  @v0 @wire @spec
  Rule: Command words are case-insensitive

    Scenario Outline: "<word>" is the join command
      Given bob has created #room
      And alice has registered
      When alice sends the line "<word> {#room}"
      Then alice succeeds
      And bob sees alice join #room

      Examples:
        | word  |
        | /join |
        | /Join |
        | /JOIN |
        | /jOiN |

    Scenario: Only ASCII letters fold: a dotless ı does not make a join command
      Given bob has created #room
      And alice has registered
      When alice sends the line "/joın {#room}"
      Then alice is refused with UNKNOWN_COMMAND
      And bob receives nothing

    Scenario: "/who" in lower case lists the members
      Given alice has created #room
      When alice sends the line "/who"
      Then alice succeeds

  @wire @spec
  Rule: Spaces and tabs around a line are ignored, and arguments may be separated by several spaces

    @v0
    Scenario: Leading and trailing blanks around a command are ignored
      Given bob has created #room
      And alice has registered
      When alice sends the line "  \t/JOIN {#room} \t "
      Then alice succeeds
      And bob sees alice join #room

    @v0
    Scenario: A tab is not an argument separator
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "/KICK\t{bob}"
      Then alice is refused with UNKNOWN_COMMAND
      And bob receives nothing

    @v0
    Scenario: Several spaces between arguments are one separator
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "/KICK    {bob}"
      Then alice succeeds
      And bob learns he was kicked from #room by alice

    # Found by mutation testing (docs/VALIDITY.md §2): the only command with several space-separated
    # arguments is /SEND, and no scenario separated them by more than one space; a server that split
    # on single spaces passed every other scenario.
    @extension @send
    Scenario: A file announcement with two spaces between its arguments is accepted
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "/SEND {bob}  notes.txt  5"
      Then alice succeeds
      And bob receives nothing

  @wire @syntax @spec
  Rule: A missing argument is a syntax error, and the command has no effect

    Background:
      Given alice has created #room
      And bob has joined #room

    Scenario Outline: "<line>" is a syntax error
      When alice sends the line "<line>"
      Then alice is refused with SYNTAX
      And bob receives nothing
      And alice is still connected

      @v0
      Examples: version 0 commands
        | line       |
        | /JOIN      |
        | /KICK      |
        | /REN       |
        | /MSG       |
        | /MSG {bob} |

      @v1
      Examples: version 1 commands
        | line    |
        | /NICK   |
        | /GRANT  |
        | /REVOKE |

      @extension
      Examples: extensions
        | line                 |
        | /SEND                |
        | /SEND {bob}          |
        | /SEND {bob} file.txt |
        | /DATA                |
        | /RECV                |

      @bonus
      Examples: operator commands
        | line    |
        | /OPER   |
        | /KILL   |
        | /UNBAN  |

      # A server that wrongly ran these would broadcast to, or ban the address of, every other scenario.
      @bonus @exclusive @server-wide
      Examples: operator commands that reach the whole server
        | line    |
        | /GLOBAL |
        | /BAN    |

  @wire @syntax @spec
  Rule: An extra argument is a syntax error, and the command has no effect

    Background:
      Given alice has created #room
      And bob has joined #room

    Scenario Outline: "<line>" is a syntax error
      When alice sends the line "<line>"
      Then alice is refused with SYNTAX
      And bob receives nothing
      And alice is still connected

      @v0
      Examples: version 0 commands
        | line                 |
        | /HELP me             |
        | /LIST all            |
        | /JOIN {#other} now   |
        | /LEAVE now           |
        | /WHO all             |
        | /KICK {bob} now      |
        | /REN {#other} now    |
        | /BYE now             |
        | /PING one two        |

      @v1
      Examples: version 1 commands
        | line                  |
        | /CURRENT {#room} now  |
        | /NICK {carol} now     |
        | /GRANT {bob} now      |
        | /REVOKE {bob} now     |

      @extension
      Examples: extensions
        | line                      |
        | /SEND {bob} f.txt 3 now   |
        | /DATA aGk= now            |
        | /RECV f.txt now           |
        | /HISTORY 5 now            |

      @bonus
      Examples: operator commands
        | line                   |
        | /OPER guess again      |
        | /KILL {bob} now        |
        | /UNBAN 192.0.2.1 now   |

      @bonus @exclusive @server-wide
      Examples: operator commands that reach the whole server
        | line                   |
        | /BAN {bob} now         |

  @v0 @wire @syntax @spec
  Rule: When several errors apply, the first of the command's list wins (syntax comes first)

    Scenario: A kick without argument from the lobby is a syntax error, not "no channel"
      Given alice has registered
      When alice sends the line "/KICK"
      Then alice is refused with SYNTAX

    Scenario: Leaving with an argument from the lobby is a syntax error, not "no channel"
      Given alice has registered
      When alice sends the line "/LEAVE now"
      Then alice is refused with SYNTAX
