@bonus
Feature: Operator commands
  The server's operator can broadcast, disconnect and ban troublemakers, after proving they know
  the operator password. Everyone else is refused. (PROTOCOL.md §5.18)

  # @exclusive: a broadcast reaches every user of the server and a ban refuses the address every
  # scenario connects from, so a scenario that sends one (even one that must be refused: a broken
  # server may run it) never runs next to another scenario. A kill only reaches its own target.

  @spec
  Rule: Operator rights need the operator password

    @operator @oper
    Scenario: The right password makes a user operator
      Given alice has registered
      When alice authenticates as operator
      Then alice succeeds

    @oper @exclusive
    Scenario: A wrong password is refused and gives no rights
      Given alice has registered
      And bob has registered
      When alice tries to authenticate as operator with a wrong password
      Then alice is refused with BAD_PASSWORD
      When alice tries to broadcast "am I operator?"
      Then alice is refused with NOT_OPER
      And bob receives nothing

  @course
  Rule: Operator commands are refused to users who are not operators

    @global @exclusive
    Scenario: A broadcast from a non-operator is refused and reaches nobody
      Given alice and bob have registered
      When alice tries to broadcast "attention"
      Then alice is refused with NOT_OPER
      And bob receives nothing

    @kill
    Scenario: A kill from a non-operator is refused
      Given alice and bob have registered
      When alice tries to kill bob
      Then alice is refused with NOT_OPER
      And bob is still connected

    @ban @exclusive @server-wide
    Scenario: A ban from a non-operator is refused
      Given alice and bob have registered
      When alice tries to ban bob
      Then alice is refused with NOT_OPER
      And bob is still connected

    @unban
    Scenario: An unban from a non-operator is refused
      Given alice has registered
      When alice tries to unban the address "192.0.2.1"
      Then alice is refused with NOT_OPER

  @operator @global @exclusive @course @core
  Rule: A broadcast reaches every other registered user, in a channel or not

    Scenario: Every other registered user receives the broadcast
      Given alice is an operator
      And bob has registered
      And carol has created #room
      And dave has connected
      When alice broadcasts "server restarts at noon"
      Then bob receives the broadcast "server restarts at noon" from alice
      And carol receives the broadcast "server restarts at noon" from alice
      And alice and dave receive nothing

  # PROTOCOL.md §6.1 (error precedence), added with it.
  @kill @spec
  Rule: Not being an operator is reported before anything about the target

    Scenario: Killing a user who is not connected, without being an operator, is refused as not operator
      Given alice has registered
      When alice tries to kill mallory
      Then alice is refused with NOT_OPER

    Scenario: Killing yourself without being an operator is refused as not operator
      Given alice has registered
      When alice tries to kill alice
      Then alice is refused with NOT_OPER
      And alice is still connected

  @operator @kill
  Rule: A killed user is told why and disconnected; the others see a quit

    @course @core
    Scenario: Killing a user disconnects them and their channel moves on
      Given bob has created #room
      And carol has joined #room
      And alice is an operator
      When alice kills bob
      Then bob is killed by alice
      And carol sees bob quit, then learns she now owns #room

    @spec
    Scenario: The operator who kills gets no quit, but does learn of a new ownership
      Given bob has created #room
      And alice is an operator
      And alice has joined #room
      When alice kills bob
      Then bob is killed by alice
      And alice receives no quit
      And alice learns she now owns #room

    @spec
    Scenario: An operator cannot kill themselves
      Given alice is an operator
      When alice tries to kill alice
      Then alice is refused with NOT_ALLOWED
      And alice is still connected

    @course
    Scenario: Killing a user who is not connected is refused
      Given alice is an operator
      When alice tries to kill mallory
      Then alice is refused with NO_SUCH_NICK

  # @server-wide: a ban refuses the address every test client comes from; a server that does not lift
  # it would refuse every later scenario, so a server the runner starts is restarted after these.
  @operator @ban @unban @server-wide
  Rule: A ban kills the user and refuses their address until it is lifted

    @pristine @course @core
    Scenario: A banned address is turned away until the ban is lifted
      Given bob has created #room
      And alice is an operator
      When alice bans bob
      Then bob is killed by alice
      When carol tries to connect
      Then carol is turned away with BANNED
      When alice lifts the ban
      And dave registers
      Then dave is welcomed

    @spec
    Scenario: Unbanning an address that was never banned is acknowledged
      Given alice is an operator
      When alice tries to unban the address "192.0.2.1"
      Then alice succeeds
