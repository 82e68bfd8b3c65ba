@load @v1 @course
Feature: Many users at once
  Tens of users join, leave, kick, grant, change nick, talk and quit at the same time in a few channels.
  Whatever order the server handles their lines in, some things must always hold at the end: each rule
  below is one of them. A few users in each channel stay for the whole storm and watch; the others move
  around, and some quit half-way. The harness's random choices are seeded: a failure prints the seed, and
  `--seed` replays the same choices. `--load-scale N` makes the crowd N times bigger.
  (PROTOCOL.md §2.1, §2.2, §4.3, §5.6, §5.8, §5.9)

  @core
  Rule: Every member receives every channel message exactly once, in each sender's order

    Scenario: No message is lost, doubled or reordered in a crowd
      Given a crowd of 24 users in 3 channels, 2 of them staying in each channel
      When the crowd joins, leaves, kicks, grants, changes nick, talks and quits at the same time for 12 rounds
      Then every member received every message of their channels exactly once, in each sender's order

  Rule: A channel with members always has exactly one owner

    Scenario: Ownership passes on cleanly while everybody acts
      Given a crowd of 24 users in 3 channels, 2 of them staying in each channel
      When the crowd joins, leaves, kicks, grants, changes nick, talks and quits at the same time for 12 rounds
      Then every channel with members has exactly one owner

  Rule: WHO and LIST agree with the events each user saw

    Scenario: Member lists and the channel list match what the events said
      Given a crowd of 24 users in 3 channels, 2 of them staying in each channel
      When the crowd joins, leaves, kicks, grants, changes nick, talks and quits at the same time for 12 rounds
      Then WHO and LIST agree with the events each user saw

  Rule: A channel message reaches members only

    Scenario: Users who left or were kicked get no more messages of the channel
      Given a crowd of 24 users in 3 channels, 2 of them staying in each channel
      When the crowd joins, leaves, kicks, grants, changes nick, talks and quits at the same time for 12 rounds
      Then no channel message reached a user who was not a member of the channel

  Rule: Nothing is delivered after a QUIT

    Scenario: A user who quit gets nothing more, and nobody hears from them again
      Given a crowd of 24 users in 3 channels, 2 of them staying in each channel
      When the crowd joins, leaves, kicks, grants, changes nick, talks and quits at the same time for 12 rounds
      Then nothing reached a user after their goodbye, and nobody heard from them after their quit
