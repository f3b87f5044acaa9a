package io.netloom.api.driver;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type that sets {@value NetworkDriver#TYPE_PROPERTY} on a driver component:
 * {@code @DriverType("sim")}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DriverType {

    /**
     * @return the driver type, such as {@code ovs}, {@code linuxbridge}, {@code sim} or a vendor's name
     */
    String value();
}
