package io.vmworkers.it.pool;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class PoolApplication {

}
