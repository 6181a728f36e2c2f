/**
 * Auto-configuration of vmworkers for both roles, its properties and role detection.
 */
package io.vmworkers.autoconfigure;
