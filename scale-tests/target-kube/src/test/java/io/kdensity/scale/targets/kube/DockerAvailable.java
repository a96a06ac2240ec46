package io.kdensity.scale.targets.kube;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/** Runs a test only where a Docker daemon answers, and says clearly why it is skipped otherwise. */
public final class DockerAvailable implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    boolean ok;
    try {
      ok = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      ok = false;
    }
    return ok
        ? ConditionEvaluationResult.enabled("a Docker daemon is available")
        : ConditionEvaluationResult.disabled(
            "skipped: no Docker daemon on this machine; the K3s integration test runs a real API server and kubelet in Docker and runs where Docker exists");
  }
}
