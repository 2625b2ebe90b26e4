package org.rmiq.master;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks not yet collected, by id. A job's tasks get consecutive ids, so they arrive as one
 * block: an array indexed by id minus the block's first id, the block found by the last one used or
 * a binary search over the few blocks there are. A {@code HashMap<Long, TaskEntry>} took a boxed
 * key and a node per task (about 48 bytes, 53 MB for a million tasks the collector copied) and
 * hashed twice for every result; a block takes 4 bytes a task and frees itself when its last task
 * is collected. A new job's block is reserved whole and filled as its entries are made (see {@link
 * UnmadeTasks}); a job restored from the journal brings only its open ids: its block spans them
 * with gaps. Not thread-safe: guarded by the dispatcher's lock.
 */
final class OpenTasks {
  /** One job's tasks from {@code first}; null where collected (or never open). */
  private static final class Block {
    final long first;
    final TaskEntry[] entries;
    int open;

    /** For a reserved block, how many entries were made (in id order); else its length. */
    int made;

    /** The job whose tasks it holds. */
    final Job job;

    Block(long first, int length, Job job) {
      this.first = first;
      this.job = job;
      this.entries = new TaskEntry[length];
    }

    boolean spans(long id) {
      return id >= first && id - first < entries.length;
    }
  }

  /** By first id, ascending; the blocks never overlap. */
  private final List<Block> blocks = new ArrayList<>();

  /** The block used last: results come in runs of one job. */
  private Block recent;

  /** Tasks whose ids fell inside another block's span (see above); empty otherwise. */
  private final Map<Long, TaskEntry> aside = new HashMap<>();

  /**
   * Adds a batch of entries (one job's, or a part of it) as one block, or aside when its ids fall
   * among another block's.
   *
   * @throws IllegalStateException when an id is open already (nothing is added then)
   */
  void addAll(List<TaskEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (TaskEntry entry : entries) {
      min = Math.min(min, entry.id());
      max = Math.max(max, entry.id());
    }
    int at = insertionPoint(min);
    boolean overlaps =
        (at > 0 && blocks.get(at - 1).spans(min))
            || (at < blocks.size() && blocks.get(at).first <= max)
            || max - min >= Integer.MAX_VALUE - 8;
    if (overlaps) {
      Map<Long, TaskEntry> byId = new HashMap<>();
      for (TaskEntry entry : entries) {
        if (get(entry.id()) != null || byId.putIfAbsent(entry.id(), entry) != null) {
          throw new IllegalStateException("task " + entry.id() + " is open already");
        }
      }
      aside.putAll(byId);
      return;
    }
    Block block = new Block(min, (int) (max - min + 1), entries.get(0).job);
    block.made = block.entries.length;
    for (TaskEntry entry : entries) {
      int i = (int) (entry.id() - min);
      if (block.entries[i] != null || (!aside.isEmpty() && aside.containsKey(entry.id()))) {
        throw new IllegalStateException("task " + entry.id() + " was added twice");
      }
      block.entries[i] = entry;
      block.open++;
    }
    blocks.add(at, block);
  }

  /**
   * Opens {@code length} tasks of {@code job} from id {@code first} whose entries are not made yet
   * (a new job's; see {@link UnmadeTasks}): they count as open, and {@link #put} adds each entry
   * when it is made.
   *
   * @throws IllegalStateException when the ids overlap open ones (nothing is added then)
   */
  void reserve(long first, int length, Job job) {
    if (length == 0) {
      return;
    }
    long last = first + length - 1;
    int at = insertionPoint(first);
    if ((at > 0 && blocks.get(at - 1).spans(first))
        || (at < blocks.size() && blocks.get(at).first <= last)) {
      throw new IllegalStateException("tasks " + first + ".." + last + " overlap open tasks");
    }
    Block block = new Block(first, length, job);
    block.open = length;
    block.made = 0;
    blocks.add(at, block);
  }

  /** Adds the entry of a task {@link #reserve} opened; they are made in id order. */
  void put(TaskEntry entry) {
    Block block = blockOf(entry.id());
    int i = block == null ? -1 : (int) (entry.id() - block.first);
    if (i < 0 || i != block.made) {
      throw new IllegalStateException("task " + entry.id() + " was not reserved, or made twice");
    }
    block.entries[i] = entry;
    block.made++;
  }

  /**
   * Whether task {@code id} is open and waiting with no entry made yet (so nobody was handed it),
   * as opposed to collected or unknown.
   */
  boolean isUnmade(long id) {
    Block block = blockOf(id);
    return block != null && id - block.first >= block.made;
  }

  /** The open task {@code id}, or null (collected, or never known). */
  TaskEntry get(long id) {
    Block block = blockOf(id);
    TaskEntry entry = block == null ? null : block.entries[(int) (id - block.first)];
    return entry != null || aside.isEmpty() ? entry : aside.get(id);
  }

  /** Whether {@code entry} is still open (not collected). */
  boolean contains(TaskEntry entry) {
    return get(entry.id()) == entry;
  }

  /** Collects {@code entry}: it is no longer open. A block with nothing open left is dropped. */
  void remove(TaskEntry entry) {
    long id = entry.id();
    Block block = blockOf(id);
    if (block == null || block.entries[(int) (id - block.first)] != entry) {
      aside.remove(id, entry);
      return;
    }
    block.entries[(int) (id - block.first)] = null;
    if (--block.open == 0) {
      blocks.remove(block);
      if (recent == block) {
        recent = null;
      }
    }
  }

  /** The open tasks of {@code job}, in id order. */
  List<TaskEntry> of(Job job) {
    List<TaskEntry> theirs = new ArrayList<>();
    for (Block block : blocks) {
      if (block.job == job) { // a block holds one job's tasks
        for (TaskEntry entry : block.entries) {
          if (entry != null) {
            theirs.add(entry);
          }
        }
      }
    }
    if (!aside.isEmpty()) {
      for (TaskEntry entry : aside.values()) {
        if (entry.job == job) {
          theirs.add(entry);
        }
      }
      theirs.sort(Comparator.comparingLong(TaskEntry::id));
    }
    return theirs;
  }

  /** How many tasks are open (counted on demand: only tests ask). */
  long size() {
    long open = aside.size();
    for (Block block : blocks) {
      open += block.open;
    }
    return open;
  }

  private Block blockOf(long id) {
    Block last = recent;
    if (last != null && last.spans(id)) {
      return last;
    }
    int at = insertionPoint(id + 1) - 1; // the last block starting at or before id
    if (at < 0 || !blocks.get(at).spans(id)) {
      return null;
    }
    recent = blocks.get(at);
    return recent;
  }

  /** The index of the first block starting after {@code id} - 1, i.e. at or after {@code id}. */
  private int insertionPoint(long id) {
    int low = 0;
    int high = blocks.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (blocks.get(mid).first < id) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
