@limits @robustness @spec
Feature: Limits: a server enforces its §7 limits and keeps serving everyone else
  A server has limits (PROTOCOL.md §7): how many connections it holds, how long a connection may take to
  register, how much output it keeps for a client that does not read. At their defaults no ordinary
  session reaches them, so each scenario here runs on a server of its own, started by the harness with a
  small limit (only the embedded reference server can be started so; against any other target these
  scenarios are not gradable). Each rule names what the limit does to the one who reaches it and checks
  that everyone else goes on as before.

  @v0 @register
  Rule: A connection beyond the connection limit is refused with SERVER_FULL and closed; the others go on

    Scenario: The server at its connection limit turns a new connection away
      Given the server accepts at most 2 connections
      And alice has created #room
      And bob has joined #room
      When carol tries to connect
      Then carol is turned away with SERVER_FULL
      And bob still receives alice's next message in #room

    Scenario: The limit counts current connections: after a user quits, a new one is accepted
      Given the server accepts at most 2 connections
      And alice and bob have registered
      And alice has quit
      When carol registers
      Then carol is welcomed
      And bob is still connected

  @v0 @register
  Rule: A connection that has not registered in time gets TIMEOUT and is closed; registered users stay

    Scenario: A connection that never registers is told the time ran out
      Given the server gives 800 ms to register
      And alice has registered
      When carol tries to connect
      Then carol is turned away with TIMEOUT
      And alice is still connected

    Scenario: Sending commands without registering does not stop the clock
      Given the server gives 800 ms to register
      And carol has connected
      When carol asks for help
      Then carol gets at least 9 help lines
      And carol is turned away with TIMEOUT

  @v0 @help
  Rule: A client that does not read what the server sends is disconnected; the others see it quit

    # 3000 help answers are about 5 MB from the reference server: far more than 64 KiB plus what the
    # kernel buffers of an unread loopback connection hold, and less than the 8 MiB default limit, so
    # only the configured limit disconnects bob (test/unit/proof/limits-proof.test.ts checks both sides).
    Scenario: A client that asks and never reads its answers is disconnected
      Given the server holds at most 64 KiB of unsent output per client
      And alice has created #room
      And bob and carol have joined #room
      When bob asks for help 3000 times without reading the answers
      Then bob is disconnected by the server
      And alice sees bob quit
      And carol still receives alice's next message in #room

  @extension @history
  Rule: A channel remembers at most the configured number of messages, the newest

    # With the default (100) a server that never forgets would answer the same: /HISTORY asks for 100 at most.
    Scenario: A channel with a small history keeps only its newest messages
      Given the server remembers 5 messages per channel
      And alice has created #room
      And bob has joined #room
      And alice has said 8 numbered messages
      When bob asks for the last 20 messages of history
      Then bob gets alice's numbered messages 4 to 8
