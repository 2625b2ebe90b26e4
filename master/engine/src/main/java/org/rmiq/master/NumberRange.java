package org.rmiq.master;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The inputs of a job over a range of whole numbers ({@code square 1..1000000}), as their decimal
 * texts, made when asked for. A job's inputs live as long as the job: a million of them as strings
 * were 53 MB that the collector copied while the job was being made, before any worker could start,
 * where the range is two numbers. Immutable; a job's tasks take their input from it when leased.
 */
public final class NumberRange extends AbstractList<String> implements RandomAccess {
  private final long first;
  private final int size;

  /**
   * The numbers {@code first} to {@code last}, both included.
   *
   * @throws IllegalArgumentException when {@code last < first}, or there are more than {@code
   *     Integer.MAX_VALUE} of them
   */
  public NumberRange(long first, long last) {
    if (last < first) {
      throw new IllegalArgumentException("an empty range " + first + ".." + last);
    }
    long count = last - first + 1;
    if (count <= 0 || count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a range of more than " + Integer.MAX_VALUE + " numbers");
    }
    this.first = first;
    this.size = (int) count;
  }

  @Override
  public String get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return Long.toString(first + index);
  }

  @Override
  public int size() {
    return size;
  }

  /** The longest of its texts, in characters (its ends are the longest). */
  int longestChars() {
    return Math.max(Long.toString(first).length(), Long.toString(first + size - 1).length());
  }
}
