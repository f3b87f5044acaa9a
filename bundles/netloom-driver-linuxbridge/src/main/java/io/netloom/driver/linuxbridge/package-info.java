/** The linuxbridge driver. */
package io.netloom.driver.linuxbridge;
