package dev.flotilla.ui;

import dev.flotilla.history.History;
import dev.flotilla.reconcile.Reconciler;
import dev.flotilla.status.StatusBoard;
import java.time.Clock;
import org.eclipse.jgit.lib.Repository;

/**
 * What the board reads, never writes: the reconciler's snapshot, bundles and rollouts, the devices' last reports,
 * the history, and the fleet repo's mirror for commit pages.
 */
public record BoardSource(Reconciler reconciler, StatusBoard statuses, History history, Repository repo,
    Clock clock) {}
