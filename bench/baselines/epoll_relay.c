/*
 * Baseline (d), the ceiling: a minimal single-threaded epoll chat relay with batched writes.
 *
 * It speaks only the sliver of the canonical dialect the load generator uses (greeting, bare nick,
 * /JOIN, plain lines) and validates nothing. Each event is formatted once and appended to every
 * recipient's output buffer; after one epoll_wait batch has been processed, every connection with
 * pending output is flushed with ONE write(). This is what "format once, flush once per turn" buys
 * without any protocol logic: the reference server should reach at least half of it.
 *
 * Built at bench time with the machine's C compiler: cc -O2 -o bench/build/epoll_relay epoll_relay.c
 * Usage: epoll_relay [--port N]   (prints "listening on 127.0.0.1:<port>")
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_LINE 4096
#define MAX_EVENTS 256

typedef struct Conn {
  int fd;
  int joined;
  int dirty;  /* queued in the flush list */
  int want_out; /* EPOLLOUT registered */
  char nick[64];
  char channel[64];
  char *partial; /* bytes of an unfinished line, kept between reads (malloc'd, usually NULL) */
  size_t partial_len;
  char *out;
  size_t out_len, out_cap, out_off;
  struct Conn *next_member, *prev_member;
} Conn;

static int epfd;
static Conn **conns; /* by fd */
static size_t conns_cap;
static Conn *members; /* doubly linked list of joined connections */
static Conn **flush_list;
static size_t flush_len, flush_cap;

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) { perror("realloc"); exit(1); }
  return q;
}

static void mark_dirty(Conn *c) {
  if (c->dirty) return;
  c->dirty = 1;
  if (flush_len == flush_cap) {
    flush_cap = flush_cap ? flush_cap * 2 : 1024;
    flush_list = xrealloc(flush_list, flush_cap * sizeof *flush_list);
  }
  flush_list[flush_len++] = c;
}

static void queue_out(Conn *c, const char *data, size_t len) {
  if (c->out_len + len > c->out_cap) {
    size_t cap = c->out_cap ? c->out_cap : 4096;
    while (cap < c->out_len + len) cap *= 2;
    c->out = xrealloc(c->out, cap);
    c->out_cap = cap;
  }
  memcpy(c->out + c->out_len, data, len);
  c->out_len += len;
  mark_dirty(c);
}

static void close_conn(Conn *c) {
  if (c->joined) {
    if (c->prev_member) c->prev_member->next_member = c->next_member; else members = c->next_member;
    if (c->next_member) c->next_member->prev_member = c->prev_member;
  }
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  conns[c->fd] = NULL;
  /* Freed by the flush pass: later events of this epoll batch may still point at it. */
  c->fd = -1;
  mark_dirty(c);
}

static void handle_line(Conn *c, char *line, size_t len) {
  char buf[MAX_LINE + 256];
  if (len && line[len - 1] == '\r') len--;
  if (len == 0) return;
  if (len > MAX_LINE) len = MAX_LINE;
  line[len] = 0; /* overwrites the '\n' (or '\r') just consumed */
  if (!c->nick[0]) {
    snprintf(c->nick, sizeof c->nick, "%.*s", (int)len, line);
    int n = snprintf(buf, sizeof buf, "OK WELCOME %s\n", c->nick);
    queue_out(c, buf, (size_t)n);
  } else if (strncmp(line, "/JOIN ", 6) == 0) {
    snprintf(c->channel, sizeof c->channel, "%s", line + 6);
    if (!c->joined) {
      c->joined = 1;
      c->prev_member = NULL;
      c->next_member = members;
      if (members) members->prev_member = c;
      members = c;
    }
    int n = snprintf(buf, sizeof buf, "OK JOIN %s member\n", c->channel);
    queue_out(c, buf, (size_t)n);
  } else {
    int n = snprintf(buf, sizeof buf, "MSG %s %s %s\n", c->channel, c->nick, line);
    if (n > (int)sizeof buf) n = sizeof buf;
    for (Conn *m = members; m; m = m->next_member)
      if (m != c) queue_out(m, buf, (size_t)n);
    n = snprintf(buf, sizeof buf, "OK SAY %s\n", c->channel);
    queue_out(c, buf, (size_t)n);
  }
}

/* Reads go to one shared buffer; only the unfinished tail of a line is kept per connection, so an idle
 * connection costs its Conn and nothing else. */
static char read_buf[MAX_LINE + 65536];

static void on_readable(Conn *c) {
  for (;;) {
    size_t have = c->partial_len;
    if (have) memcpy(read_buf, c->partial, have);
    ssize_t n = read(c->fd, read_buf + have, sizeof read_buf - have);
    if (n == 0) { close_conn(c); return; }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      if (errno == EINTR) continue;
      close_conn(c);
      return;
    }
    size_t len = have + (size_t)n, start = 0;
    for (;;) {
      char *nl = memchr(read_buf + start, '\n', len - start);
      if (!nl) break;
      handle_line(c, read_buf + start, (size_t)(nl - (read_buf + start)));
      start = (size_t)(nl - read_buf) + 1;
    }
    size_t rest = len - start;
    if (rest > MAX_LINE) rest = 0; /* over-long line: drop it */
    if (rest != c->partial_len) {
      free(c->partial);
      c->partial = rest ? malloc(rest) : NULL;
    }
    if (rest) memcpy(c->partial, read_buf + start, rest);
    c->partial_len = rest;
  }
}

static void set_out_interest(Conn *c, int want) {
  if (c->want_out == want) return;
  struct epoll_event ev = { .events = EPOLLIN | (want ? EPOLLOUT : 0), .data.ptr = c };
  epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
  c->want_out = want;
}

/* One write per connection per batch; what the kernel does not take waits for EPOLLOUT. */
static void flush_conn(Conn *c) {
  while (c->out_off < c->out_len) {
    ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) { set_out_interest(c, 1); return; }
      close_conn(c);
      return;
    }
    c->out_off += (size_t)n;
  }
  c->out_len = c->out_off = 0;
  set_out_interest(c, 0);
}

static void flush_all(void) {
  for (size_t i = 0; i < flush_len; i++) {
    Conn *c = flush_list[i];
    c->dirty = 0;
    if (c->fd < 0) { free(c->out); free(c->partial); free(c); continue; }
    if (!c->want_out) flush_conn(c);
  }
  flush_len = 0;
}

int main(int argc, char **argv) {
  int port = 0;
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp(argv[i], "--port") == 0) port = atoi(argv[i + 1]);
  signal(SIGPIPE, SIG_IGN);
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl); }

  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 1024) < 0) { perror("listen"); return 1; }
  socklen_t alen = sizeof addr;
  getsockname(lfd, (struct sockaddr *)&addr, &alen);
  printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
  fflush(stdout);

  epfd = epoll_create1(0);
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
  epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
  struct epoll_event events[MAX_EVENTS];
  for (;;) {
    int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
    if (n < 0) { if (errno == EINTR) continue; perror("epoll_wait"); return 1; }
    for (int i = 0; i < n; i++) {
      Conn *c = events[i].data.ptr;
      if (c == NULL) {
        for (;;) {
          int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
          if (fd < 0) break;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          if ((size_t)fd >= conns_cap) {
            size_t cap = conns_cap ? conns_cap : 1024;
            while (cap <= (size_t)fd) cap *= 2;
            conns = xrealloc(conns, cap * sizeof *conns);
            memset(conns + conns_cap, 0, (cap - conns_cap) * sizeof *conns);
            conns_cap = cap;
          }
          Conn *nc = calloc(1, sizeof *nc);
          nc->fd = fd;
          conns[fd] = nc;
          struct epoll_event cev = { .events = EPOLLIN, .data.ptr = nc };
          epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &cev);
          queue_out(nc, "HELLO epoll-relay 1\n", 20);
        }
        continue;
      }
      if (c->fd < 0) continue;
      if (events[i].events & EPOLLOUT) flush_conn(c);
      if (c->fd >= 0 && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) on_readable(c);
    }
    flush_all();
  }
}
