/** The agents module. */
package io.orchestra.agents;
