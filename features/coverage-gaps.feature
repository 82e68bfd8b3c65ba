@errors
Feature: Rules found uncovered by measuring the suite
  Scenarios added because measuring the suite (docs/VALIDITY.md) showed a PROTOCOL.md rule that no
  scenario checked in this form: the coverage gate found reference-server code no scenario executed,
  and mutation testing found deliberate bugs in the reference core that every scenario let through.
  (PROTOCOL.md §1.3, §1.4, §5, §5.1, §5.16, §5.17, §6)

  @v0 @wire @framing @spec
  Rule: A line whose first segment alone is over the limit is refused once, before its end arrives, and discarded up to its end

    # The scenarios of §1.4 elsewhere send over-long lines that fit in one read, or whose halves are
    # each under the limit. Here the first half alone exceeds 4096 bytes: a server must refuse the
    # line once (not once per read) and keep discarding across reads until the line's "\n".
    Scenario: A 20000-byte line in two segments of 10000 bytes is refused once, and the next line works
      Given alice has created #room
      And bob has joined #room
      When alice sends a line of 20000 bytes in two segments
      Then alice is refused with LINE_TOO_LONG
      And bob receives nothing
      And bob still receives alice's next message in #room

  @extension @history
  Rule: The history count is a whole number from 1 to 100

    # Found by mutation testing: a server that accepted /HISTORY 1 as an error, or that parsed a count
    # with letters before or after its digits, passed every other scenario.
    @course
    Scenario: A count of 1 gives the last message only
      Given alice has created #room
      And bob has joined #room
      And alice has said "one"
      And bob has said "two"
      When alice asks for the last 1 message of history
      Then alice gets the history of #room:
        | bob | two |

    # Found by mutation testing: a history ring one slot too large gives the right answer up to about
    # 200 messages; only a longer channel shows stale messages.
    @spec
    Scenario: After 250 messages the last 100 are still exactly the newest
      Given alice has created #room
      And bob has joined #room
      And alice has said 250 numbered messages
      When bob asks for the last 100 messages of history
      Then bob gets alice's numbered messages 151 to 250

    @spec
    Scenario Outline: A count with letters around its digits (<count>) is a syntax error
      Given alice has created #room
      When alice asks for the history with the count "<count>"
      Then alice is refused with SYNTAX

      Examples:
        | count |
        | x5    |
        | 5x    |

  @extension @send @wire @spec
  Rule: Arguments are separated by one or more spaces

    # Found by mutation testing: the only command with several space-separated arguments is /SEND, and
    # no scenario separated them by more than one space; a server that split on single spaces passed.
    Scenario: A file announcement with two spaces between its arguments is accepted
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "/SEND {bob}  notes.txt  5"
      Then alice succeeds
      And bob receives nothing

  @extension @send @data @recv
  Rule: File sizes are whole numbers from 1, chunks are strict base64, and a replaced upload does not count twice

    # Found by mutation testing: each of these let a broken server pass every other scenario.
    @course
    Scenario: A file of 1 byte travels
      Given alice has created #room
      And bob has joined #room
      When alice sends bob the file "one.txt" containing "a"
      Then bob is told a file "one.txt" of 1 bytes waits from alice
      When bob fetches the file "one.txt"
      Then bob gets the file "one.txt" containing "a" from alice

    @wire @spec
    Scenario Outline: A size with letters around its digits (<size>) is a syntax error
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "/SEND {bob} notes.txt <size>"
      Then alice is refused with SYNTAX

      Examples:
        | size |
        | x5   |
        | 5x   |

    @spec
    Scenario Outline: A chunk that is base64 only in part (<chunk>) is a syntax error
      Given alice has created #room
      And bob has joined #room
      When alice tries to upload the chunk "<chunk>"
      Then alice is refused with SYNTAX

      Examples:
        | chunk  |
        | %QUJD  |
        | QUJD%  |
        | QUJ==  |

    @spec
    Scenario: A new announcement replaces an unfinished one even when the recipient is at the limit
      Given alice has created #room
      And bob has joined #room
      And alice has sent bob 7 files
      And alice announces the file "eighth.txt" of 3 bytes for bob
      When alice announces the file "eighth.txt" of 5 bytes for bob
      Then alice succeeds

    @spec
    Scenario: An unfinished upload to someone else does not make room at a full recipient
      Given alice has created #room
      And bob has joined #room
      And carol has joined #room
      And alice has sent bob 8 files
      And alice announces the file "for-carol.txt" of 3 bytes for carol
      When alice tries to announce the file "ninth.txt" of "3" bytes for bob
      Then alice is refused with LIMIT

    @wire @spec
    Scenario: Uploading before registration is refused as unregistered
      Given alice has connected
      When alice sends the line "/DATA QUJD"
      Then alice is refused with NOT_REGISTERED
