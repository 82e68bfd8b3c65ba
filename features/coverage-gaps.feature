@errors
Feature: Rules found uncovered by the coverage gate
  Scenarios added because measuring which reference-server code the suite executes (docs/VALIDITY.md)
  showed a PROTOCOL.md rule that no scenario checked in this form. (PROTOCOL.md §1.3, §1.4)

  @v0 @wire @framing
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
