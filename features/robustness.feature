@robustness
Feature: Robustness: a server survives hostile input and crowds, and keeps serving everyone else
  Students' servers are graded on more than the happy path: they face huge lines, binary garbage,
  clients that vanish mid-line, a crowd arriving at once, and a TCP stream cut anywhere. A robust
  server answers what deserves an answer, discards the rest, and never stops serving the others;
  every scenario ends by checking that a bystander is still served.
  (PROTOCOL.md §1.3, §1.4, §1.5, §1.6, §1.7, §2.1)

  @v0 @wire @framing @spec
  Rule: A huge line is refused once and discarded; nobody else notices

    Scenario: A line of 10 KB is refused once, and the connection keeps working
      Given alice has created #room
      And bob has joined #room
      When alice sends a line of 10240 bytes
      Then alice is refused with LINE_TOO_LONG
      And bob receives nothing
      And bob still receives alice's next message in #room
      And alice is still connected

  @v0 @wire @framing @spec
  Rule: Binary garbage is refused line by line; the connection and everyone else are still served

    Scenario: Four kilobytes of random bytes are refused, and nothing reaches the channel
      Given alice has created #room
      And bob has joined #room
      When alice sends 4096 bytes of binary garbage
      Then alice is refused for every one of those lines
      And bob receives nothing
      And bob still receives alice's next message in #room

  @v0 @wire @spec
  Rule: A member who vanishes in the middle of a line is a drop; the half line is never executed

    Scenario: A connection that drops after half a message only quits
      Given alice has created #room
      And bob and carol have joined #room
      When bob's connection drops in the middle of the line "half a message"
      Then alice sees bob quit
      And carol sees bob quit
      And carol receives no channel message
      And carol still receives alice's next message in #room

  @v0 @course
  Rule: A crowd arriving at once is served, and so is everyone who was already there

    # @exclusive: on a server with a small connection limit the crowd would turn away the users of
    # whichever scenario ran alongside in a --parallel run, failing it for this scenario's reason.
    @exclusive
    Scenario: 100 clients join one channel at the same time
      Given alice has created #room
      And bob has joined #room
      And carol has created #elsewhere
      And dave has joined #elsewhere
      When 100 more users join #room at the same time
      Then alice sees 102 members in #room
      And bob still receives alice's next message in #room
      And dave still receives carol's next message in #elsewhere

  @v0 @wire @framing @spec
  Rule: Every complete line is executed once, in order, however the bytes are cut

    Scenario: Two lines and the start of a third in one segment, the rest of the third later
      Given alice has created #room
      And bob has joined #room
      When alice sends "one\ntwo\nthr" and, after a pause, "ee\n"
      Then alice gets 3 successful replies
      And bob receives alice's message "one" in #room
      And bob receives alice's message "two" in #room
      And bob receives alice's message "three" in #room

    Scenario: A command sent one byte per segment runs once, whole
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "/KICK {bob}" one byte at a time
      Then alice gets 1 successful reply
      And bob learns he was kicked from #room by alice

    Scenario: Fifty lines in one segment are fifty messages, in order
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "spam" 50 times in one segment
      Then alice gets 50 successful replies
      And bob receives alice's message "spam" 50 times in #room
      And bob still receives alice's next message in #room
