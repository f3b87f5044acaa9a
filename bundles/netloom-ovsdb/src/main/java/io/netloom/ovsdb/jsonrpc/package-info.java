/**
 * JSON-RPC 1.0 transport of the OVSDB protocol (RFC 7047 section 4): framing of a byte stream of concatenated
 * JSON objects, request/response correlation, notifications and the server's echo requests.
 */
@Export
@Version("0.1.0")
package io.netloom.ovsdb.jsonrpc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
