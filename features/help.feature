@v0 @help
Feature: Help
  A student typing /HELP at a bare terminal learns what the server can do. The wording is free;
  the shape (help lines, then one final reply) is what clients rely on. (PROTOCOL.md §5.2)

  Rule: Help answers with help lines, one per command, then its final reply

    Scenario: A registered user gets a help line for each command of version 0
      Given alice has registered
      When alice asks for help
      Then alice gets at least 9 help lines

    Scenario: Help works inside a channel too
      Given alice has created #room
      When alice asks for help
      Then alice gets at least 9 help lines

  Rule: Help is private to the one who asks

    Scenario: Asking for help sends nothing to anyone else
      Given alice has created #room
      And bob has joined #room
      When alice asks for help
      Then bob receives nothing
