@register
Feature: Registration
  A connection becomes a user by choosing a nick. Until then it can only ping, ask for help or
  leave, so nobody acts anonymously; and since a nick names exactly one connected user, every
  message, kick and private message reaches the right person. (PROTOCOL.md §5.1, §3.1)

  @v0
  Rule: A valid, free nick is welcomed and the new user starts in the lobby

    @course @core
    Scenario: A valid nick is welcomed and the user is in the lobby
      When alice registers
      Then alice is welcomed
      And alice is in the lobby

    @wire @course
    Scenario: The first line may be the bare nick
      Given alice has connected
      When alice sends the line "{alice}"
      Then alice is welcomed
      And alice is in the lobby

    @spec
    Scenario: The first line may be the nick command
      Given alice has connected
      When alice registers with the nick command
      Then alice is welcomed
      And alice is in the lobby

  @v0 @spec @names
  Rule: A nick is 1 to 16 characters: an ASCII letter, then letters, digits, _ or -

    Scenario: A nick of 16 characters is accepted
      When alice registers with a nick of 16 characters
      Then alice is in the lobby

    Scenario: A nick of 17 characters is refused
      Given alice has connected
      When alice tries to register with a nick of 17 characters
      Then alice is refused with NICK_INVALID

    @pristine
    Scenario: A one-letter nick is accepted
      Given alice has connected
      When alice tries to register as "a"
      Then alice succeeds

    Scenario Outline: An invalid nick (<why>) is refused and the user may try again
      Given alice has connected
      When alice tries to register as "<nick>"
      Then alice is refused with NICK_INVALID
      And alice is still connected
      When alice registers
      Then alice is welcomed

      Examples:
        | nick              | why                 |
        | 1alice            | starts with a digit |
        | _alice            | starts with _       |
        | -alice            | starts with -       |
        | al.ice            | contains a dot      |
        | al#ice            | contains a #        |
        | alicé             | not ASCII           |
        | abcdefghijklmnopq | 17 characters       |

  @v0
  Rule: Nicks are unique among connected users and case-sensitive

    @course
    Scenario: A nick in use is refused and the user may try again
      Given alice has registered
      And bob has connected
      When bob tries to register with alice's nick
      Then bob is refused with NICK_IN_USE
      And alice is still connected
      When bob registers
      Then bob is welcomed

    @spec
    Scenario: Nicks that differ only in case belong to different users
      Given alice has registered
      When bob registers with alice's nick in upper case
      Then bob is in the lobby
      And alice is still connected

    @course
    Scenario: A nick is freed when its user quits
      Given alice has registered
      And alice has quit
      When bob registers with alice's nick
      Then bob is in the lobby

    @course
    Scenario: A nick is freed when its user's connection drops
      Given alice has created #room
      And carol has joined #room
      When alice's connection drops
      Then carol sees alice quit
      When bob registers with alice's nick
      Then bob is in the lobby

  @spec
  Rule: Before registration only ping, help and goodbye work; any other command is refused

    @v0
    Scenario: An unregistered user cannot create a channel
      Given alice has connected
      When alice tries to join #room
      Then alice is refused with NOT_REGISTERED
      And the channel list seen by bob does not include #room

    @v0
    Scenario: Ping works before registration
      Given alice has connected
      When alice pings the server with the token "early"
      Then alice gets the token "early" back

    @v0
    Scenario: Help works before registration
      Given alice has connected
      When alice asks for help
      Then alice gets at least 1 help line

    @v0
    Scenario: Goodbye works before registration
      Given alice has connected
      When alice quits
      Then alice is disconnected by the server

    @v0 @wire
    Scenario: Before registration, a known command is refused as unregistered before its syntax is checked
      Given alice has connected
      When alice sends the line "/JOIN"
      Then alice is refused with NOT_REGISTERED

    @v0 @wire
    Scenario: Before registration, an unknown command is an unknown command
      Given alice has connected
      When alice sends the line "/FROBNICATE"
      Then alice is refused with UNKNOWN_COMMAND
      And alice is still connected

    # Found by mutation testing (docs/VALIDITY.md §2): /DATA was the one command no scenario sent
    # before registration; a server that checked its upload state first passed every other scenario.
    @extension @data @wire
    Scenario: Uploading before registration is refused as unregistered
      Given alice has connected
      When alice sends the line "/DATA QUJD"
      Then alice is refused with NOT_REGISTERED

    @wire
    Scenario Outline: <line> is refused before registration
      Given alice has connected
      When alice sends the line "<line>"
      Then alice is refused with NOT_REGISTERED
      And alice is still connected

      @v0
      Examples: version 0 commands
        | line             |
        | /LIST            |
        | /JOIN {#room}    |
        | /LEAVE           |
        | /WHO             |
        | /MSG {bob} hello |
        | /KICK {bob}      |
        | /REN {#room}     |

      @v1
      Examples: version 1 commands
        | line            |
        | /CURRENT        |
        | /GRANT {bob}    |
        | /REVOKE {bob}   |

      @extension
      Examples: extensions
        | line               |
        | /SEND {bob} a.txt 3 |
        | /RECV a.txt        |
        | /HISTORY           |

      @bonus
      Examples: operator commands
        | line        |
        | /OPER guess |

      # A server that wrongly ran it would broadcast to every other scenario's users.
      @bonus @exclusive
      Examples: operator commands that reach the whole server
        | line        |
        | /GLOBAL hi  |
