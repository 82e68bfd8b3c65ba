@v1 @nick
Feature: Changing nick
  A registered user may change nick. The people sharing a channel with them learn it once, and
  everything the user had (memberships, ownership, admin rights, waiting files) follows them.
  (PROTOCOL.md §5.14, §8.14, §8.18)

  Rule: A nick change is acknowledged and announced once to everyone sharing a channel

    @course @core
    Scenario: The members see the new nick and outsiders nothing
      Given alice has created #room
      And bob has joined #room
      And dave has created #other
      When alice changes nick to alicia
      Then alice is told the nick changed from alice to alicia
      And bob sees alice change nick to alicia
      And dave receives nothing

    @spec
    Scenario: Sharing two channels, the nick change arrives once
      Given alice has created #first
      And alice has created #second
      And bob has joined #first
      And bob has joined #second
      When alice changes nick to alicia
      Then bob sees alice change nick to alicia only once

    @spec
    Scenario: The user gets no event of their own nick change
      Given alice has created #room
      When alice changes nick to alicia
      Then alice receives nothing

  @course
  Rule: Everything follows the user to the new nick

    @core
    Scenario: Messages come from the new nick and ownership stays
      Given alice has created #room
      And bob has joined #room
      And alice changes nick to alicia
      When alice says "new name, same me"
      Then bob receives alicia's message "new name, same me" in #room
      And bob sees the members of #room as "~alicia bob"

    @core
    Scenario: Private messages reach the new nick, not the old one
      Given alice has created #room
      And bob has joined #room
      And alice changes nick to alicia
      When bob sends alicia the private message "hi alicia"
      Then alice receives the private message "hi alicia" from bob
      When bob tries to send alice the private message "hi alice"
      Then bob is refused with NO_SUCH_NICK

    Scenario: Admin rights follow the new nick
      Given alice has created #room
      And bob and carol have joined #room
      And alice has granted admin to bob
      And bob changes nick to robert
      When bob kicks carol
      Then carol learns she was kicked from #room by robert

    Scenario: The old nick becomes free
      Given alice has registered
      And alice changes nick to alicia
      When dave registers with alice's nick
      Then dave is in the lobby

  Rule: The new nick must be valid and not in use, including by the user

    @course
    Scenario: Changing to one's own nick is refused
      Given alice has created #room
      And bob has joined #room
      When alice tries to change nick to alice
      Then alice is refused with NICK_IN_USE
      And bob receives nothing

    @course
    Scenario: Changing to another user's nick is refused
      Given alice has created #room
      And bob has joined #room
      When alice tries to change nick to bob
      Then alice is refused with NICK_IN_USE
      And bob receives nothing
      And bob still receives alice's next message in #room

    @course
    Scenario: Changing to a nick with a space is refused
      Given alice has created #room
      And bob has joined #room
      When alice tries to change nick to the nick "al ice"
      Then alice is refused
      And bob receives nothing
      And bob still receives alice's next message in #room

    @spec @names
    Scenario Outline: Changing to an invalid nick (<why>) is refused
      Given alice has created #room
      And bob has joined #room
      When alice tries to change nick to the nick "<nick>"
      Then alice is refused with NICK_INVALID
      And bob receives nothing

      Examples:
        | nick              | why                 |
        | 9lives            | starts with a digit |
        | al.ice            | contains a dot      |
        | abcdefghijklmnopq | 17 characters       |
