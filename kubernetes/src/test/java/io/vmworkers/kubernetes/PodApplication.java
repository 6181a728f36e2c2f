package io.vmworkers.kubernetes;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class PodApplication {

}
