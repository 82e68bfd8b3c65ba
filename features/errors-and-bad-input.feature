@errors
Feature: Errors, bad input and framing
  A server faces typos, half-written lines, hostile bytes and a TCP stream that cuts lines
  anywhere. It must answer every line exactly once, in order, refuse what is malformed with the
  right code, and keep serving the connection. (PROTOCOL.md §1, §2.1, §5, §6, §8.1, §8.2, §8.19)

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

  @v0 @wire @framing @robustness @spec
  Rule: Empty and blank lines are ignored: no reply, no effect

    Scenario: Empty and blank lines get no reply and send nothing
      Given alice has created #room
      And bob has joined #room
      When alice sends the bytes "\n   \n\t \n\r\n"
      Then alice gets no reply to those lines
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

  @v0 @wire @spec
  Rule: Spaces and tabs around a line are ignored, and arguments may be separated by several spaces

    Scenario: Leading and trailing blanks around a command are ignored
      Given bob has created #room
      And alice has registered
      When alice sends the line "  \t/JOIN {#room} \t "
      Then alice succeeds
      And bob sees alice join #room

    Scenario: A tab is not an argument separator
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "/KICK\t{bob}"
      Then alice is refused with UNKNOWN_COMMAND
      And bob receives nothing

    Scenario: Several spaces between arguments are one separator
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "/KICK    {bob}"
      Then alice succeeds
      And bob learns he was kicked from #room by alice

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

  @v0 @wire @framing @robustness @spec
  Rule: Every complete line is executed exactly once, in order, whatever the TCP segmentation

    Scenario: Two commands in one segment both run, in order
      Given alice has created #room
      And bob has joined #room
      When alice sends the lines "first" and "second" in one segment
      Then alice gets 2 successful replies
      And bob receives alice's message "first" in #room
      And bob receives alice's message "second" in #room

    Scenario: A command split across two segments with a pause runs once, whole
      Given alice has created #room
      And bob has joined #room
      When alice sends "hel" and, after a pause, "lo\n"
      Then alice gets 1 successful reply
      And bob receives alice's message "hello" in #room
      And bob receives nothing

    Scenario: A line may end with CR LF
      Given alice has created #room
      And bob has joined #room
      When alice sends the bytes "crlf line\r\n"
      Then alice succeeds
      And bob receives alice's message "crlf line" in #room

    Scenario: A command split inside its argument runs once, whole
      Given alice has created #room
      And bob has joined #room
      When alice sends "/KICK {bob}" and, after a pause, "\n"
      Then alice gets 1 successful reply
      And bob learns he was kicked from #room by alice

  @v0 @wire @framing @robustness @spec
  Rule: A line longer than 4096 bytes is refused once and discarded whole; the connection stays

    Scenario: A line of 4096 bytes is accepted
      Given alice has created #room
      And bob has joined #room
      When alice sends a line of 4096 bytes
      Then alice succeeds
      And bob receives alice's message of 4096 characters in #room

    Scenario: A line of 5000 bytes is refused, discarded, and the next line works
      Given alice has created #room
      And bob has joined #room
      When alice sends a line of 5000 bytes
      Then alice is refused with LINE_TOO_LONG
      And bob receives nothing
      And bob still receives alice's next message in #room

    Scenario: An over-long line cut into two segments is refused once, as a whole
      Given alice has created #room
      And bob has joined #room
      When alice sends a line of 6000 bytes in two segments
      Then alice is refused with LINE_TOO_LONG
      And bob receives nothing
      And bob still receives alice's next message in #room

  @v0 @wire @framing @spec
  Rule: A line that is not valid UTF-8 or holds a control character is refused; the connection stays

    Scenario Outline: A line with <why> is refused
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "<bytes>"
      Then alice is refused with BAD_ENCODING
      And bob receives nothing
      And bob still receives alice's next message in #room

      Examples:
        | bytes            | why                         |
        | caf\xC3          | a truncated UTF-8 sequence  |
        | \xFF\xFE         | bytes that are never UTF-8  |
        | clear\x1B[2J     | a terminal escape           |
        | nul\x00byte      | a NUL character             |
        | bell\x07         | a bell character            |
        | del\x7Fete       | a DEL character             |
        | lone\rcarriage   | a carriage return mid-line  |
