@help
Feature: Help
  A student typing /HELP at a bare terminal learns what the server can do. The wording is free;
  the shape (help lines, then one final reply) is what clients rely on. (PROTOCOL.md §5.2)

  @v0 @course
  Rule: Help answers with help lines, one per command, then its final reply

    @core
    Scenario: A registered user gets a help line for each command of version 0
      Given alice has registered
      When alice asks for help
      Then alice gets at least 9 help lines

    Scenario: Help works inside a channel too
      Given alice has created #room
      When alice asks for help
      Then alice gets at least 9 help lines

  Rule: Each command has its help line, naming the command as it is typed

    @v0 @course
    Scenario: The help names every command of version 0
      Given alice has registered
      When alice asks for help
      Then alice's help names each of the commands help, list, join, leave, who, msg, bye, kick and ren

    @v0 @spec
    Scenario: The help names the ping command
      Given alice has registered
      When alice asks for help
      Then alice's help names each of the commands ping

    @v1 @course
    Scenario: The help names every command of version 1
      Given alice has registered
      When alice asks for help
      Then alice's help names each of the commands current, nick, grant and revoke

    @extension @spec
    Scenario: The help names the file transfer and history commands
      Given alice has registered
      When alice asks for help
      Then alice's help names each of the commands send, data, recv and history

    @bonus @spec
    Scenario: The help names the operator commands
      Given alice has registered
      When alice asks for help
      Then alice's help names each of the commands oper, global, kill, ban and unban

  @v0 @course
  Rule: Help is private to the one who asks

    Scenario: Asking for help sends nothing to anyone else
      Given alice has created #room
      And bob has joined #room
      When alice asks for help
      Then bob receives nothing
