/** Kryo serialization with a class allow-list for objects crossing a channel. */
package io.vmworkers.codec;
