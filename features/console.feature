@bonus @console @server-wide
Feature: The server console
  Whoever runs the server may type the operator commands GLOBAL, KILL, BAN and UNBAN on its console
  (its standard input), with or without '/', without /OPER. Users see the console's broadcasts and kills
  as coming from `*`. (PROTOCOL.md §5.18)

  Only a server the harness starts itself has a console the harness can type on (--server: the server
  process's stdin; the embedded reference server). The console's answer to a line (OK or ERR <code>) can
  be read on the embedded reference server only; elsewhere the scenarios that read it are not gradable.

  # A console broadcast reaches every user of the server and a console ban refuses the address every
  # scenario connects from: those scenarios run alone (@exclusive, @pristine), as in operator.feature.
  # @server-wide (every scenario here): what is typed on a console may change the whole server (a ban
  # by address, a shutdown), so a server the runner starts is restarted after each of these.
  # A console kill reaches only its own target and needs no tag.
  # The kill rules carry @console, not @kill: @kill selects the users' /KILL, which runs on any target
  # (the broken-server proofs select it), while these need a console. rubrics/course.json grades them
  # with /KILL.

  @global @exclusive @course @core
  Rule: A console broadcast reaches every registered user, from the server

    Scenario: Every registered user receives the console's broadcast, in a channel or not
      Given alice has registered
      And bob has created #room
      And carol has connected
      When the server console broadcasts "maintenance at noon"
      Then alice receives the broadcast "maintenance at noon" from the server
      And bob receives the broadcast "maintenance at noon" from the server
      And carol receives nothing

  @course
  Rule: A console kill disconnects the user, who is told the server did it; the others see a quit

    @core
    Scenario: The killed user is told the server killed them, and their channel moves on
      Given bob has created #room
      And alice and carol have joined #room
      When the server console kills bob
      Then bob is killed by the server
      And alice sees bob quit, then learns she now owns #room
      And carol sees bob quit, then sees alice become the owner of #room

    Scenario: A user who shares no channel with the killed user sees nothing
      Given bob has created #room
      And dave has registered
      When the server console kills bob
      Then bob is killed by the server
      And dave receives nothing
      And dave is still connected

  @wire @spec
  Rule: A console command may be typed with or without '/', in any case, with spaces around

    Scenario Outline: The console kills with "<line>"
      Given bob has created #room
      And alice has joined #room
      When the server console reads the line "<line>"
      Then bob is killed by the server
      And alice sees bob quit, then learns she now owns #room

      Examples:
        | line                   |
        | /KILL {bob}            |
        | KILL {bob}             |
        | kill {bob}             |
        | /Kill {bob}            |
        | \t   kill   {bob}   \t |

  Rule: A console line that cannot be carried out changes nothing

    @course
    Scenario: Killing from the console a nick nobody has changes nothing
      Given alice has created #room
      And bob has joined #room
      When the server console tries to kill mallory
      Then alice and bob receive nothing
      And alice is still connected
      And bob is still connected

    @wire @spec
    Scenario Outline: The console line "<line>" changes nothing (<why>)
      Given alice has created #room
      And bob has joined #room
      When the server console reads the line "<line>"
      Then alice and bob receive nothing
      And alice is still connected
      And bob is still connected

      Examples:
        | line               | why                              |
        | FROBNICATE {bob}   | not a console command            |
        | /KICK {bob}        | a user's command, not the console's |
        | KILL               | no nick                          |
        | KILL {bob} {alice} | one nick too many                |

  @wire @spec
  Rule: The console answers each line it reads with its outcome, like a reply to a user

    Scenario Outline: The console answers "<line>" with <code>
      Given bob has registered
      When the server console reads the line "<line>"
      Then the console answers with the error <code>
      And bob is still connected

      Examples:
        | line               | code            |
        | FROBNICATE {bob}   | UNKNOWN_COMMAND |
        | /KICK {bob}        | UNKNOWN_COMMAND |
        | KILL               | SYNTAX          |
        | KILL {bob} {bob}   | SYNTAX          |
        | KILL {mallory}     | NO_SUCH_NICK    |
        | KILL {bob}\x07     | BAD_ENCODING    |

    Scenario: The console confirms a kill
      Given bob has registered
      When the server console kills bob
      Then the console answers with success
      And bob is killed by the server

    Scenario: The console ignores a blank line, without answer
      Given bob has registered
      When the server console reads the line "  \t  "
      Then the console does not answer
      And bob receives nothing
      And bob is still connected

  @ban @unban @pristine @course @core
  Rule: A console ban kills the user and turns their address away until the console lifts it

    Scenario: An address banned from the console is turned away until the console lifts the ban
      Given bob has created #room
      And alice has joined #room
      When the server console bans bob
      Then bob is killed by the server
      And alice sees bob quit, then learns she now owns #room
      And alice is still connected
      When carol tries to connect
      Then carol is turned away with BANNED
      When the server console lifts the ban
      And dave registers
      Then dave is welcomed
