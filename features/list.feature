@v0 @list
Feature: Listing channels
  /LIST is how a newcomer discovers where the conversations are, so it must show every channel
  that exists and nothing that has gone, in a stable order. (PROTOCOL.md §5.3, §4.5)

  Rule: The list holds every existing channel, sorted by code point

    @pristine @course
    Scenario: On an empty server the list is empty
      Given alice has registered
      Then the channel list seen by alice is empty

    @spec
    Scenario: Every channel is listed, in code-point order
      Given alice has created #beta
      And bob has created #alpha
      And carol has created #Gamma
      Then the channel list seen by dave is sorted and includes, in this order:
        | #Gamma |
        | #alpha |
        | #beta  |

    @course @core
    Scenario: A user in the lobby sees channels they are not a member of
      Given bob has created #room
      And alice has registered
      Then the channel list seen by alice includes #room
      And alice is in the lobby

  @spec
  Rule: A channel whose last member left is no longer listed

    Scenario: An emptied channel disappears from the list
      Given alice has created #room
      When alice leaves #room
      Then the channel list seen by bob does not include #room

    Scenario: A channel emptied by a goodbye disappears from the list
      Given alice has created #room
      And alice has quit
      Then the channel list seen by bob does not include #room

  @course
  Rule: Listing is private to the one who asks

    Scenario: Listing channels sends nothing to anyone else
      Given alice has created #room
      And bob has joined #room
      When alice tries to list the channels
      Then alice succeeds
      And bob receives nothing
