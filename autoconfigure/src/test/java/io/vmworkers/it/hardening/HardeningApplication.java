package io.vmworkers.it.hardening;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class HardeningApplication {

}
