/** The gateway module. */
package io.orchestra.gateway;
