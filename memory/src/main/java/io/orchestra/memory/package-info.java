/** The memory module. */
package io.orchestra.memory;
