package io.kdensity.scale.cli;

import picocli.CommandLine.Option;

/** {@code --attach cni|netlink}: the local target's attach mode, for every command that ramps. */
final class AttachOption {
  @Option(
      names = "--attach",
      description =
          "Local target: cni (the plugins) or netlink (the same kernel objects made directly,"
              + " for datapath questions). Default: the plan's.")
  String attach;
}
