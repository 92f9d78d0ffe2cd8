package dev.flotilla.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The last {@code capacity} events, in memory only: what a reconciler without durable history remembers. */
public final class RecentHistory implements History {
  private final int capacity;
  private final Deque<HistoryEvent> events = new ArrayDeque<>();
  private final List<Consumer<HistoryEvent>> listeners = new CopyOnWriteArrayList<>();

  public RecentHistory(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public void record(HistoryEvent event) {
    synchronized (events) {
      events.addFirst(event);
      if (events.size() > capacity) {
        events.removeLast();
      }
    }
    listeners.forEach(listener -> listener.accept(event));
  }

  @Override
  public List<HistoryEvent> query(HistoryQuery query) {
    var found = new ArrayList<HistoryEvent>();
    synchronized (events) {
      for (var event : events) {
        if (query.matches(event)) {
          found.add(event);
          if (found.size() == query.limit()) {
            break;
          }
        }
      }
    }
    return found;
  }

  @Override
  public void subscribe(Consumer<HistoryEvent> listener) {
    listeners.add(listener);
  }
}
