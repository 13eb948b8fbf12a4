#!/usr/bin/env python3
"""Splits a `perf record -g` profile of the server by what each sample was doing: the first rule that matches any frame
of its stack (innermost first) wins, so the order of the rules matters. JIT frames are named from /tmp/perf-<pid>.map
(DOTNET_PerfMapEnabled=1). Native code without frame pointers (libc, SQLite) often has no stack: such samples are
'other', and in a group profile they are almost all SQLite's (strncmp, memcmp, mutexes).
    usage: python3 benchmarks/perf-classify.py perf.data"""
import collections
import re
import subprocess
import sys

RULES = [
    ('store: SQLite, the writer, its file syscalls, the checkpointer',
     r'sqlite|Sqlite|CommitWriter|HotBatch|WriterSession|pwrite|pread|fsync|fdatasync|ext4|jbd2|Parley\.Storage'),
    ('JIT compiling', r'libclrjit|TieredCompilation|Tiered Com'),
    ('socket receive: Kestrel read, ManagedWebSocket, frame parse, dispatch, ack',
     r'DoReceive|ReceiveAsync|ReadLoopAsync|FrameReader|ClientFrameParser|RequestDispatcher|recvfrom|__libc_recv|HttpRequestStream|Http1UpgradeMessageBody|tcp_recvmsg|sock_recvmsg'),
    ('socket send: OutboundQueue, ManagedWebSocket send, Kestrel send',
     r'OutboundQueue|SendAsync|DoSend|SocketSender|sendto|__send|tcp_sendmsg|WritePipeAsync|SendFrame'),
    ('fan-out: publisher, frames, delivery', r'InboxPublisher|InboxFrames|ServerFrameWriter|MessageEventFrames|InboxDelivery|LocalInboxes|SendHandler|AckForwarder'),
    ('Orleans, grains', r'Orleans|Grain'),
    ('thread pool: waking, spinning, scheduling', r'sched_yield|ThreadPool|WorkerThread|LowLevelLifoSemaphore|futex|epoll_wait|SocketAsyncEngine|IOQueue|schedule'),
    ('GC', r'gc_heap|GCHeap|WKS::|SVR::|GarbageCollect'),
]


def main():
    out = subprocess.run(['perf', 'script', '-i', sys.argv[1], '-F', 'comm,tid,ip,sym,dso'], capture_output=True, text=True).stdout
    rules = [(name, re.compile(rx)) for name, rx in RULES]
    counts = collections.Counter()
    total = 0
    for sample in out.split('\n\n'):
        stack = sample.strip()
        if not stack:
            continue
        total += 1
        counts[next((name for name, rx in rules if rx.search(stack)), 'other (no stack: mostly libc under SQLite)')] += 1
    for name, n in counts.most_common():
        print(f'{100 * n / total:5.1f} %  {name}')
    print(f'{total} samples')


if __name__ == '__main__':
    main()
