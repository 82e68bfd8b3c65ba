@robustness
Feature: Robustness: a server survives clients that vanish and crowds, and keeps serving everyone else
  Students' servers are graded on more than the happy path: they face clients that vanish mid-line
  and a crowd arriving at once. A robust server never stops serving the others; every scenario ends
  by checking that a bystander is still served. (Huge lines, binary garbage and a TCP stream cut
  anywhere: framing.feature.)
  (PROTOCOL.md §1.3, §1.7, §2.1)

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
