package org.rmiq.master;

/**
 * What one worker did for the master.
 *
 * @param name the worker's unique name
 * @param host the worker's host name
 * @param threads how many tasks it runs at once
 * @param connected whether its session is still live
 * @param succeeded tasks it completed
 * @param failed tasks whose final attempt failed on it
 * @param busyMillis total time its collected tasks ran
 */
public record WorkerSummary(String name, String host, int threads, boolean connected,
    long succeeded, long failed, long busyMillis) {}
