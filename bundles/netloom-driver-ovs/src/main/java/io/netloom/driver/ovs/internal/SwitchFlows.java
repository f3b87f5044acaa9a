package io.netloom.driver.ovs.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The OpenFlow side of the driver as the {@link OvsEngine} needs it: read which of Netloom's cookies are installed,
 * and replace flows atomically.
 */
interface SwitchFlows {

    /**
     * @return whether the OpenFlow channel is up
     */
    boolean connected();

    /**
     * Counts the installed flows per cookie, for cookies under {@link Pipeline#COOKIE_PREFIX} only.
     *
     * @return flows per cookie
     * @throws io.netloom.api.driver.DriverException when the switch cannot be read
     */
    Map<Long, Integer> cookieCounts();

    /**
     * In one atomic OpenFlow bundle: deletes every flow carrying one of the cookies, then adds the flows. Either
     * all of it takes effect or none of it.
     *
     * @param deleteCookies cookies whose flows go (in every table)
     * @param add flows to add
     * @throws io.netloom.api.driver.DriverException when the bundle is refused or the switch cannot be reached
     */
    void replace(Collection<Long> deleteCookies, List<FlowSpec> add);
}
