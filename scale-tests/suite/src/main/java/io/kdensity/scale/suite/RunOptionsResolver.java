package io.kdensity.scale.suite;

import io.kdensity.scale.run.RunOptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives the suite its {@link RunOptions} from JUnit configuration parameters, which the CLI sets on
 * the launcher request and Maven passes as system properties ({@code -Dkdensity.plan=…}).
 */
public final class RunOptionsResolver implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == RunOptions.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return RunOptions.from(k -> e.getConfigurationParameter(k).orElse(null));
  }
}
