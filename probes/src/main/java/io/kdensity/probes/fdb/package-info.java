/**
 * MAC learning and layer-2 limits: bridge forwarding databases ({@code bridge -j fdb}), bridge port
 * counts, and macvlan/ipvlan children that push a NIC into promiscuous mode.
 */
package io.kdensity.probes.fdb;
