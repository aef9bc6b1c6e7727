package io.voiceagent.core.pacing;

import java.util.Arrays;

/**
 * Binary min-heap of consumers keyed by their next send deadline, with the position stored in
 * each consumer so a deadline can be changed or removed in O(log n) without allocating.
 *
 * <p>Confined to the thread that runs the pacer's core; not thread-safe.
 */
final class DeadlineHeap {
    private AudioConsumer[] heap = new AudioConsumer[16];
    private int size;

    int size() {
        return size;
    }

    /** The consumer with the earliest deadline, or null. */
    AudioConsumer peek() {
        return size == 0 ? null : heap[0];
    }

    /** Earliest deadline, or {@link AudioPacer#NO_DEADLINE} when empty. */
    long peekDeadline() {
        return size == 0 ? AudioPacer.NO_DEADLINE : heap[0].heapDeadline;
    }

    /** Inserts, moves or (for {@link AudioPacer#NO_DEADLINE}) removes {@code c}. */
    void update(AudioConsumer c, long deadline) {
        int i = c.heapIndex;
        if (deadline == AudioPacer.NO_DEADLINE) {
            if (i >= 0) {
                removeAt(i);
            }
            return;
        }
        if (i < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            c.heapDeadline = deadline;
            c.heapIndex = size;
            heap[size++] = c;
            siftUp(size - 1);
            return;
        }
        long old = c.heapDeadline;
        c.heapDeadline = deadline;
        if (deadline < old) {
            siftUp(i);
        } else if (deadline > old) {
            siftDown(i);
        }
    }

    /** Removes everything (used when the pacer closes). */
    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private void removeAt(int i) {
        AudioConsumer removed = heap[i];
        removed.heapIndex = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        AudioConsumer last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        if (heap[i] == last) {
            siftUp(i);
        }
    }

    // Deadlines are nanoTime readings; plain comparison is fine because readings within one
    // process run are far from wrapping (292 years).
    private void siftUp(int i) {
        AudioConsumer c = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            AudioConsumer p = heap[parent];
            if (p.heapDeadline <= c.heapDeadline) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = c;
        c.heapIndex = i;
    }

    private void siftDown(int i) {
        AudioConsumer c = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].heapDeadline < heap[child].heapDeadline) {
                child = right;
            }
            if (c.heapDeadline <= heap[child].heapDeadline) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = c;
        c.heapIndex = i;
    }
}
