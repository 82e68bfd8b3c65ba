@say
Feature: Channel messages
  Any line that is not a command is a message to the current channel. Every other member gets it,
  labelled with the channel and the sender; the sender only gets an acknowledgement, so clients
  never print a message twice. (PROTOCOL.md §5.6, §8.3, §8.4)

  @v0 @course
  Rule: A plain message reaches every other member of the current channel

    @core
    Scenario: Every other member receives the message with its channel and sender
      Given alice has created #room
      And bob and carol have joined #room
      When alice says "hello everyone"
      Then bob receives alice's message "hello everyone" in #room
      And carol receives alice's message "hello everyone" in #room
      And alice is told the message went to #room

    @core
    Scenario: Users outside the channel do not receive it
      Given alice has created #room
      And bob has joined #room
      And dave has created #other
      When alice says "only for #room"
      Then bob receives alice's message "only for #room" in #room
      And dave receives nothing

    Scenario: The text arrives as typed, inner spaces and accents included
      Given alice has created #room
      And bob has joined #room
      When alice says "héllo   wörld ✓ 😀"
      Then bob receives alice's message "héllo   wörld ✓ 😀" in #room

  @v0 @course
  Rule: A message is never echoed to its sender

    Scenario: The sender gets no copy of their own message
      Given alice has created #room
      And bob has joined #room
      When alice says "no echo please"
      Then bob receives alice's message "no echo please" in #room
      And alice receives nothing

  @v0 @course
  Rule: A message from the lobby is refused and reaches nobody

    Scenario: Saying something in the lobby is refused
      Given bob has created #room
      And alice has registered
      When alice tries to say "anybody?"
      Then alice is refused with NO_CHANNEL
      And bob receives nothing

  @v1 @course
  Rule: Members receive the messages of all their channels, each labelled with its channel

    Scenario: A message in a channel that is not current still arrives, labelled
      Given bob has created #first
      And alice has joined #first
      And alice has joined #second
      When bob says "over here"
      Then alice receives bob's message "over here" in #first

  @v0 @wire @spec
  Rule: The text is the line as typed, without its leading and trailing spaces

    Scenario: Leading and trailing spaces are not part of the text
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "   hello there   "
      Then alice succeeds
      And bob receives alice's message "hello there" in #room

    Scenario: A line starting with // sends a message starting with /
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "//shrug"
      Then alice succeeds
      And bob receives alice's message "/shrug" in #room

    Scenario: A tab inside a message is kept
      Given alice has created #room
      And bob has joined #room
      When alice sends the line "left\tright"
      Then alice succeeds
      And bob receives alice's message "left\tright" in #room
