@v0 @ping @spec
Feature: Ping
  /PING is how a client checks the server is alive, and it is the suite's barrier: because the
  server answers lines in order, a PONG proves every earlier event has been delivered. (§5.13, §2.1)

  Rule: Ping is answered with its token echoed verbatim

    Scenario: A token is echoed verbatim
      Given alice has registered
      When alice pings the server with the token "AbC-123_x.y"
      Then alice gets the token "AbC-123_x.y" back

    Scenario: A ping without a token is answered without one
      Given alice has registered
      When alice pings the server
      Then alice gets an answer without a token

  Rule: Ping has no other effect

    Scenario: A ping sends nothing to anyone else
      Given alice has created #room
      And bob has joined #room
      When alice pings the server with the token "quiet"
      Then bob receives nothing
