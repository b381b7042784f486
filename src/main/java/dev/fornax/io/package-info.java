/**
 * Safety of everything fornax reads and writes, shared by every command.
 *
 * <ul>
 *   <li>{@link dev.fornax.io.OutputTargets}: an output path must be new, or an existing node of the
 *       kind written (a regular file, or a directory); a FIFO, device, socket or symbolic link is
 *       refused before anything is written, so no special file is ever replaced.</li>
 *   <li>{@link dev.fornax.io.Scratch}: outputs are written into a temporary sibling named
 *       {@code NAME.tmp-PID-START} and renamed into place; the name says which process owns it, so a
 *       later run reclaims the temporaries of dead processes ({@link dev.fornax.io.Scratch#reclaim}).</li>
 *   <li>{@link dev.fornax.io.Interrupts}: on SIGINT/SIGTERM a shutdown hook kills the external tools
 *       (each runs in its own process group) and removes the temporaries still registered.</li>
 *   <li>{@link dev.fornax.io.JsonFiles}: every JSON file is read as strict UTF-8 with limits on
 *       nesting, string, name and number length, duplicate keys refused; errors name the file.</li>
 *   <li>{@link dev.fornax.io.IoErrors}: an IOException as a message that keeps its cause
 *       ("permission denied", "no space left on device").</li>
 * </ul>
 */
package dev.fornax.io;
