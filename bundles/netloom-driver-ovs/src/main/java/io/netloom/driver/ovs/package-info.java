/** The ovs driver. */
package io.netloom.driver.ovs;
