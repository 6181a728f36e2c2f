package io.vmworkers.it.calls;

public record Pose(double x, double y, double theta) {

}
