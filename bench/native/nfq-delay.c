/*
 * nfq-delay: adds a fixed one-way delay to the packets an iptables NFQUEUE rule hands to user space.
 * This kernel has no netem, so the lag benchmark (bench/.../lag) delays driver -> follower packets with it:
 *
 *   nfq-delay QUEUE DELAY_MS
 *
 * Each packet is held DELAY_MS after it was queued, then accepted unchanged. The delay is the same for every
 * packet, so releasing them first-in first-out keeps their order. At most MAX_HELD packets wait; a packet
 * arriving when the queue is full is dropped and counted (with the kernel's own queue overflows) on stderr
 * when the program ends (SIGTERM or SIGINT), with how late packets left after their due time. Only metadata is
 * copied to user space, never the payload.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_HELD 65536

struct held {
    uint32_t id;
    int64_t due_ns;
};

static struct held ring[MAX_HELD];
static size_t head, count;
static int64_t delay_ns;
static unsigned long accepted, dropped_full;
/* How late packets leave after their due time: our own precision, reported at the end. */
static int64_t late_max_ns;
static unsigned long late_over_1ms, late_over_5ms;
static volatile sig_atomic_t stop;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

static void on_signal(int sig) {
    (void) sig;
    stop = 1;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
    (void) msg;
    (void) data;
    struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
    if (ph == NULL) {
        return 0;
    }
    uint32_t id = ntohl(ph->packet_id);
    if (delay_ns == 0) {
        accepted++;
        return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
    }
    if (count == MAX_HELD) {
        dropped_full++;
        return nfq_set_verdict(qh, id, NF_DROP, 0, NULL);
    }
    ring[(head + count) % MAX_HELD] = (struct held) {id, now_ns() + delay_ns};
    count++;
    return 0;
}

/* Accepts every packet whose time has come; returns the milliseconds until the next one is due (-1: none). */
static int release_due(struct nfq_q_handle *qh) {
    int64_t now = now_ns();
    while (count > 0 && ring[head].due_ns <= now) {
        int64_t late = now_ns() - ring[head].due_ns;
        late_max_ns = late > late_max_ns ? late : late_max_ns;
        late_over_1ms += late > 1000000;
        late_over_5ms += late > 5000000;
        nfq_set_verdict(qh, ring[head].id, NF_ACCEPT, 0, NULL);
        accepted++;
        head = (head + 1) % MAX_HELD;
        count--;
    }
    if (count == 0) {
        return -1;
    }
    int64_t wait_ns = ring[head].due_ns - now;
    return (int) ((wait_ns + 999999) / 1000000); /* round up: never release early */
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s QUEUE DELAY_MS\n", argv[0]);
        return 2;
    }
    char *end;
    long queue = strtol(argv[1], &end, 10);
    if (*end != '\0' || queue < 0 || queue > 65535) {
        fprintf(stderr, "nfq-delay: QUEUE must be 0..65535, not '%s'\n", argv[1]);
        return 2;
    }
    long delay_ms = strtol(argv[2], &end, 10);
    if (*end != '\0' || delay_ms < 0 || delay_ms > 10000) {
        fprintf(stderr, "nfq-delay: DELAY_MS must be 0..10000, not '%s'\n", argv[2]);
        return 2;
    }
    delay_ns = delay_ms * 1000000L;

    struct nfq_handle *h = nfq_open();
    if (h == NULL) {
        perror("nfq-delay: nfq_open (root and the nfnetlink_queue module are needed)");
        return 1;
    }
    struct nfq_q_handle *qh = nfq_create_queue(h, (uint16_t) queue, &on_packet, NULL);
    if (qh == NULL) {
        perror("nfq-delay: nfq_create_queue (is another program bound to this queue?)");
        nfq_close(h);
        return 1;
    }
    if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0 || nfq_set_queue_maxlen(qh, MAX_HELD) < 0) {
        perror("nfq-delay: configuring the queue");
        nfq_destroy_queue(qh);
        nfq_close(h);
        return 1;
    }
    nfnl_rcvbufsiz(nfq_nfnlh(h), 8 << 20); /* room for a burst while we sleep in poll */
    int fd = nfq_fd(h);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    /* Real-time priority (it only ever sleeps in poll), so that on a busy machine a packet leaves when it is
     * due rather than when the scheduler gets round to us. Without the privilege it runs as it is. */
    struct sched_param sp = {.sched_priority = 10};
    int rt = sched_setscheduler(0, SCHED_FIFO, &sp) == 0;
    fprintf(stderr, "nfq-delay: queue %ld, %ld ms%s\n", queue, delay_ms, rt ? ", SCHED_FIFO" : "");

    static char buf[65536] __attribute__((aligned));
    unsigned long recv_errors = 0;
    while (!stop) {
        int timeout = release_due(qh);
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, timeout < 0 ? 200 : timeout);
        if (r < 0 && errno != EINTR) {
            perror("nfq-delay: poll");
            break;
        }
        if (r > 0) {
            /* Drain what is there without blocking, so a burst does not wait a poll round per packet. */
            for (;;) {
                ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
                if (n < 0) {
                    if (errno == ENOBUFS) { /* the kernel's socket buffer overflowed: packets were lost */
                        recv_errors++;
                        continue;
                    }
                    break;
                }
                nfq_handle_packet(h, buf, (int) n);
            }
        }
    }
    /* Let what is still held go, so stopping the delayer does not look like loss. */
    while (count > 0) {
        nfq_set_verdict(qh, ring[head].id, NF_ACCEPT, 0, NULL);
        head = (head + 1) % MAX_HELD;
        count--;
        accepted++;
    }
    fprintf(stderr, "nfq-delay: accepted %lu, dropped (queue full) %lu, receive overflows %lu; released late by > 1 ms: %lu,"
            " > 5 ms: %lu, at most %.3f ms\n", accepted, dropped_full, recv_errors, late_over_1ms, late_over_5ms, late_max_ns / 1e6);
    nfq_destroy_queue(qh);
    nfq_close(h);
    return 0;
}
