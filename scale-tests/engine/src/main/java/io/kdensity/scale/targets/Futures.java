package io.kdensity.scale.targets;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting on work handed to a target's pool: runtime failures come back as they were thrown. */
public final class Futures {
  private Futures() {}

  public static <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new InfrastructureException(String.valueOf(e.getCause()), e.getCause());
    }
  }
}
