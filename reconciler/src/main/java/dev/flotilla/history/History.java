package dev.flotilla.history;

import java.util.List;
import java.util.function.Consumer;

/** Where the reconciler records transitions and where pages and commands read them back. */
public interface History {
  /** Records {@code event}; returns at once (writing to durable storage may happen later, in batches). */
  void record(HistoryEvent event);

  /** The events {@code query} selects, newest first. */
  List<HistoryEvent> query(HistoryQuery query);

  /** Calls {@code listener} with every event recorded from now on (live pages subscribe here). */
  void subscribe(Consumer<HistoryEvent> listener);
}
